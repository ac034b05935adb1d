//! Every name `gen` derives from the document, through heck, so that each one matches the
//! name progenitor (which also uses heck) gives the same thing.

use heck::{ToPascalCase, ToShoutySnakeCase, ToSnakeCase};

/// The method progenitor generates for an operationId, which is also the id its hooks get
/// (`OperationInfo::operation_id`): `listCallHistoryV1` -> `list_call_history_v1`.
pub fn method_name(operation_id: &str) -> String {
    operation_id.to_snake_case()
}

/// The argument progenitor gives a parameter: its snake case, with `_` appended when that
/// is a Rust keyword (`type` -> `type_`).
pub fn argument_name(parameter: &str) -> String {
    let name = parameter.to_snake_case();
    if syn::parse_str::<syn::Ident>(&name).is_ok() {
        name
    } else {
        format!("{name}_")
    }
}

/// The constant of an operation in the generated operations table: `startBatch` ->
/// `START_BATCH`.
pub fn constant_name(operation_id: &str) -> String {
    operation_id.to_shouty_snake_case()
}

/// The query struct of a method (see `wrappers`): `list_call_history` ->
/// `ListCallHistoryQuery`.
pub fn query_struct_name(method: &str) -> String {
    format!("{}Query", method.to_pascal_case())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_what_progenitor_generates() {
        for (id, method, constant) in [
            (
                "listCallHistoryV1",
                "list_call_history_v1",
                "LIST_CALL_HISTORY_V1",
            ),
            ("getCallHistory", "get_call_history", "GET_CALL_HISTORY"),
            (
                "uploadKnowledgeBaseFile",
                "upload_knowledge_base_file",
                "UPLOAD_KNOWLEDGE_BASE_FILE",
            ),
            ("getHTTPStatus", "get_http_status", "GET_HTTP_STATUS"),
            ("page", "page", "PAGE"),
        ] {
            assert_eq!(method_name(id), method, "{id}");
            assert_eq!(constant_name(id), constant, "{id}");
        }
        assert_eq!(argument_name("type"), "type_");
        assert_eq!(argument_name("areaCode"), "area_code");
        assert_eq!(argument_name("agentId"), "agent_id");
        assert_eq!(
            query_struct_name("list_call_history"),
            "ListCallHistoryQuery"
        );
    }
}
