//! The classification rules of `cargo xtask diff`, in our own conventions: what breaks a
//! generated client or a caller, what only adds, what only documents.
//!
//! The conventions (openapi/STYLE.md, CURATION.md): responses are open, so a new response
//! field or enum value is not breaking; the server accepting more (a new optional request
//! field, a new request enum value) is not breaking; anything a caller or a generator
//! relied on disappearing or narrowing is. The names other teams' generators turn into
//! code (paths, operationIds, tags, component schema names) are part of the contract.
//! A change no rule knows is breaking until someone classifies it here.

/// How a change affects the contract's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// A generated client stops compiling or a caller's request or decoding fails:
    /// needs a major version.
    Breaking,
    /// Something new that old clients ignore: a minor version.
    NonBreaking,
    /// Descriptions, summaries, examples: a patch version.
    Docs,
}

impl Class {
    /// How the class is printed.
    pub fn label(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::NonBreaking => "non-breaking",
            Class::Docs => "docs-only",
        }
    }
}

/// One rule: its id (printed with every change it classifies) and class.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// The id, e.g. `request-property-added-required`.
    pub id: &'static str,
    /// What the change means for users.
    pub class: Class,
    /// One line saying why.
    pub why: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $class:ident, $why:literal;)*) => {
        $(
            #[doc = $why]
            pub const $name: &Rule = &Rule { id: $id, class: Class::$class, why: $why };
        )*
        /// Every rule, in the order `--list-rules` prints them.
        pub const ALL: &[&Rule] = &[$($name),*];
    };
}

rules! {
    OPERATION_REMOVED = "operation-removed", Breaking, "an operation (or webhook) callers use is gone";
    OPERATION_ADDED = "operation-added", NonBreaking, "a new operation (or webhook)";
    PATH_CHANGED = "path-changed", Breaking, "an operationId moved to another path or method: callers send to the old one";
    OPERATION_ID_CHANGED = "operation-id-changed", Breaking, "generated method names come from operationIds";
    TAGS_CHANGED = "operation-tags-changed", Breaking, "generators group operations into API classes by tag";
    RETRY_SAFETY_CHANGED = "retry-safety-changed", Breaking, "x-trillet-retry decides whether clients may send a request again";
    SECURITY_CHANGED = "security-changed", Breaking, "the credentials a request needs changed";
    SERVERS_CHANGED = "servers-changed", Breaking, "the base URL generated clients default to changed";
    DEPRECATED = "deprecated-changed", NonBreaking, "deprecation announces, it does not remove";
    PARAMETER_REMOVED = "parameter-removed", Breaking, "callers send a parameter the contract no longer has";
    PARAMETER_ADDED_REQUIRED = "parameter-added-required", Breaking, "old callers do not send the new required parameter";
    PARAMETER_ADDED_OPTIONAL = "parameter-added-optional", NonBreaking, "a new optional parameter";
    PARAMETER_BECAME_REQUIRED = "parameter-became-required", Breaking, "old callers may omit it";
    PARAMETER_BECAME_OPTIONAL = "parameter-became-optional", NonBreaking, "the server accepts more";
    PARAMETER_STYLE_CHANGED = "parameter-style-changed", Breaking, "the parameter is serialised differently";
    REQUEST_BODY_REQUIRED = "request-body-required", Breaking, "a request body became required (or a required one appeared)";
    REQUEST_BODY_OPTIONAL = "request-body-optional", NonBreaking, "the request body became optional (or an optional one appeared)";
    REQUEST_BODY_REMOVED = "request-body-removed", Breaking, "callers send a body the operation no longer takes";
    MEDIA_TYPE_REMOVED = "media-type-removed", Breaking, "a request or response media type is gone";
    MEDIA_TYPE_ADDED = "media-type-added", NonBreaking, "a new request or response media type";
    RESPONSE_REMOVED = "response-removed", Breaking, "a response status callers handle is gone";
    RESPONSE_ADDED = "response-added", NonBreaking, "a new documented response status";
    RESPONSE_HEADER_REMOVED = "response-header-removed", Breaking, "callers read a header the response no longer has";
    RESPONSE_HEADER_ADDED = "response-header-added", NonBreaking, "a new response header";
    TYPE_CHANGED = "type-changed", Breaking, "a value's type changed: generated types change";
    FORMAT_CHANGED = "format-changed", Breaking, "a string's or number's format changed: generated types change";
    NULLABLE_NARROWED = "nullable-narrowed", Breaking, "a request value may no longer be null, or a response value now may be";
    NULLABLE_WIDENED = "nullable-widened", NonBreaking, "a request value may now be null, or a response value no longer is";
    REQUEST_PROPERTY_ADDED_REQUIRED = "request-property-added-required", Breaking, "old callers do not send the new required field";
    REQUEST_PROPERTY_ADDED_OPTIONAL = "request-property-added-optional", NonBreaking, "a new optional request field";
    RESPONSE_PROPERTY_ADDED = "response-property-added", NonBreaking, "responses are open: a new field decodes";
    PROPERTY_REMOVED = "property-removed", Breaking, "a field callers send or read is gone";
    REQUEST_PROPERTY_BECAME_REQUIRED = "request-property-became-required", Breaking, "old callers may omit it";
    REQUEST_PROPERTY_BECAME_OPTIONAL = "request-property-became-optional", NonBreaking, "the server accepts more";
    RESPONSE_PROPERTY_BECAME_OPTIONAL = "response-property-became-optional", Breaking, "callers rely on a field that may now be missing";
    RESPONSE_PROPERTY_BECAME_REQUIRED = "response-property-became-required", NonBreaking, "the server promises more";
    REQUEST_ENUM_VALUE_ADDED = "request-enum-value-added", NonBreaking, "the server accepts more values";
    REQUEST_ENUM_VALUE_REMOVED = "request-enum-value-removed", Breaking, "callers send a value the server no longer accepts";
    RESPONSE_ENUM_VALUE_ADDED = "response-enum-value-added", NonBreaking, "responses are open: enum-like values grow";
    RESPONSE_ENUM_VALUE_REMOVED = "response-enum-value-removed", NonBreaking, "the server sends fewer values; clients still decode";
    ENUM_ADDED = "enum-added", Breaking, "a free value became a closed list: requests narrow, generated response types close";
    ENUM_REMOVED = "enum-removed", Breaking, "a generated enum type becomes a plain string";
    REQUEST_CONSTRAINT_NARROWED = "request-constraint-narrowed", Breaking, "the server accepts fewer values (length, range, pattern, items, additionalProperties)";
    REQUEST_CONSTRAINT_WIDENED = "request-constraint-widened", NonBreaking, "the server accepts more values";
    RESPONSE_CONSTRAINT_CHANGED = "response-constraint-changed", NonBreaking, "responses are open: clients do not validate their bounds";
    REQUEST_VARIANT_REMOVED = "request-variant-removed", Breaking, "a oneOf/anyOf shape callers send is gone";
    VARIANT_ADDED = "variant-added", NonBreaking, "a new oneOf/anyOf shape (requests accept more; responses are open)";
    RESPONSE_VARIANT_REMOVED = "response-variant-removed", NonBreaking, "the server sends fewer shapes";
    REQUEST_DEFAULT_CHANGED = "request-default-changed", Breaking, "callers who omit the field get other behaviour";
    COMPONENT_REMOVED = "component-schema-removed", Breaking, "generated type names come from component names";
    COMPONENT_ADDED = "component-schema-added", NonBreaking, "a new named schema (moving a schema into a component is no other change)";
    TAG_LIST_CHANGED = "tag-list-changed", NonBreaking, "a tag was added to or removed from the document's tag list";
    DOCS_CHANGED = "docs-changed", Docs, "descriptions, summaries, titles, examples, external docs, info (not its version)";
    UNCLASSIFIED = "unclassified", Breaking, "no rule knows this change; classify it in xtask/src/diff/rules.rs";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_kebab_case() {
        let mut ids: Vec<_> = ALL.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len());
        assert!(ALL
            .iter()
            .all(|r| r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-')));
    }
}
