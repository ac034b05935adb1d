//! Building a [`SpecValidator`]: walking the document's operations, pairing creates with
//! updates, converting and compiling their schemas.

#![allow(clippy::wildcard_imports)]

use super::*;
use crate::load::join_pointer;

/// Pairs each create (a POST on a collection, `/call-flows`) with the update of one of its
/// items (a PUT, else a PATCH, on `/call-flows/{flowId}`), both ways, so that the lint can
/// say which of the two a key belongs to.
fn sibling_operations(operations: &mut BTreeMap<String, Operation>) {
    fn collection_of(path: &str) -> Option<&str> {
        let (collection, last) = path.rsplit_once('/')?;
        (last.starts_with('{') && last.ends_with('}') && !collection.is_empty())
            .then_some(collection)
    }
    // Indexed by path, in operationId order, so that the pairing takes linear time.
    let mut updates: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
    let mut creates: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, operation) in operations.iter() {
        match operation.method {
            "post" => creates.entry(&operation.path).or_default().push(id),
            "put" | "patch" => {
                if let Some(collection) = collection_of(&operation.path) {
                    updates
                        .entry(collection)
                        .or_default()
                        .push((id, operation.method));
                }
            }
            _ => {}
        }
    }
    let pairs: Vec<(String, Option<String>)> = operations
        .iter()
        .map(|(id, operation)| {
            let sibling = match operation.method {
                // The PUT, else the first PATCH.
                "post" => updates.get(operation.path.as_str()).and_then(|found| {
                    found
                        .iter()
                        .find(|(_, method)| *method == "put")
                        .or_else(|| found.first())
                        .map(|(id, _)| *id)
                }),
                "put" | "patch" => collection_of(&operation.path)
                    .and_then(|collection| creates.get(collection))
                    .and_then(|found| found.first().copied()),
                _ => None,
            };
            (id.clone(), sibling.map(str::to_owned))
        })
        .collect();
    for (id, sibling) in pairs {
        if let Some(operation) = operations.get_mut(&id) {
            operation.sibling = sibling;
        }
    }
}

/// The document walked: its operations and examples, and its schemas converted, ready to
/// be compiled.
pub(crate) struct Walked<'d> {
    pub(crate) builder: Builder<'d>,
    pub(crate) branches: HashMap<String, usize>,
    /// The direction of each root schema.
    pub(crate) directions: Vec<Direction>,
    /// Whether the converted component schemas passed the meta-schema, checked after the
    /// walk (`None`: not checked yet).
    pub(crate) components_meta_valid: Option<bool>,
}

impl<'d> Walked<'d> {
    pub(crate) fn new(text: &'d str, document: &'d Value) -> Result<Self, LoadError> {
        let mut builder = Builder::new(text, document)?;
        let parallel = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        // Walking the operations does not need the converted components, so another core
        // converts them meanwhile; a problem in the components is reported first, as when
        // they were converted before the walk.
        let (components, operations) = if parallel {
            std::thread::scope(|scope| {
                let components = scope.spawn(|| convert_components(text, document));
                let operations = builder.operations();
                let components = components
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (components, operations)
            })
        } else {
            let components = convert_components(text, document)?;
            (Ok(components), builder.operations())
        };
        let (defs, refs) = components?;
        builder.defs = defs;
        builder.refs = refs;
        builder.close_used();
        let walked = operations.and_then(|()| {
            builder.component_schema_examples()?;
            builder.branch_validators()
        });
        // Cheap (`crate::meta_check` answers for what the converter writes), so on this
        // core: a thread of its own cost more than it saved.
        let components_meta_valid = walked
            .is_ok()
            .then(|| compile::meta_valid_components(&builder.defs));
        let branches = match walked {
            Ok(branches) => branches,
            Err(error) => {
                // The schemas met before the problem were compiled before it, one by one,
                // so a schema that does not compile is the first problem.
                if let Err((pointer, message)) =
                    compile::legacy(&builder.roots, &builder.defs, &builder.refs)
                {
                    return Err(builder.error(&pointer, &message));
                }
                return Err(error);
            }
        };
        sibling_operations(&mut builder.operations);
        let directions = builder.roots.iter().map(|root| root.direction).collect();
        Ok(Walked {
            builder,
            branches,
            directions,
            components_meta_valid,
        })
    }
}

/// Walks the document once, converting schemas and collecting examples.
pub(crate) struct Builder<'d> {
    pub(crate) text: &'d str,
    pub(crate) document: &'d Value,
    pub(crate) converters: [Converter<'d>; 2],
    /// Converted `components/schemas`, per direction.
    pub(crate) defs: [Map<String, Value>; 2],
    /// Component schemas each component schema refers to directly, per direction.
    pub(crate) refs: compile::References,
    /// Component schemas reached from operations, per direction.
    pub(crate) used: [BTreeSet<String>; 2],
    pub(crate) cache: HashMap<(String, Direction), usize>,
    /// The converted schemas to compile, in the order they were met.
    pub(crate) roots: Vec<Root>,
    pub(crate) operations: BTreeMap<String, Operation>,
    /// Where each operationId was defined, to report duplicates.
    pub(crate) operation_pointers: HashMap<String, String>,
    pub(crate) examples: Vec<Example>,
    pub(crate) seen_examples: HashSet<(String, Option<Direction>)>,
    /// Whether `used` holds what the roots so far reach: not while the operations are
    /// walked beside the conversion of the components (whose references it needs), but
    /// from [`Builder::close_used`] on.
    pub(crate) used_closed: bool,
}

/// Media types validated as JSON: JSON itself, `+json` types, and form bodies (their
/// fields as a JSON object).
fn is_json_like(media_type: &str, direction: Direction) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence.ends_with("+json")
        || direction == Direction::Request
            && (essence == "multipart/form-data" || essence == "application/x-www-form-urlencoded")
}

/// The converted `components/schemas` of `document` and the components each names, per
/// direction, the request direction first (its first problem is the one reported).
fn convert_components(
    text: &str,
    document: &Value,
) -> Result<([Map<String, Value>; 2], compile::References), LoadError> {
    let mut defs = [Map::new(), Map::new()];
    let mut references = [HashMap::new(), HashMap::new()];
    let Some(components) = document.pointer("/components/schemas") else {
        return Ok((defs, references));
    };
    let components = components
        .as_object()
        .ok_or_else(|| document_error(text, "/components/schemas", "must be a mapping"))?;
    type Converted = (Map<String, Value>, HashMap<String, BTreeSet<String>>);
    let convert_all = |direction: Direction| -> Result<Converted, (String, String)> {
        let converter = Converter::new(document, direction);
        let mut defs = Map::new();
        let mut all_refs = HashMap::with_capacity(components.len());
        for (name, schema) in components {
            let mut refs = BTreeSet::new();
            let converted = converter.convert(
                schema,
                &join_pointer("/components/schemas", name),
                &mut refs,
            )?;
            defs.insert(name.clone(), converted);
            all_refs.insert(name.clone(), refs);
        }
        Ok((defs, all_refs))
    };
    for direction in [Direction::Request, Direction::Response] {
        let (converted, refs) = convert_all(direction)
            .map_err(|(pointer, message)| document_error(text, &pointer, &message))?;
        defs[slot(direction)] = converted;
        references[slot(direction)] = refs;
    }
    Ok((defs, references))
}

impl<'d> Builder<'d> {
    pub(crate) fn new(text: &'d str, document: &'d Value) -> Result<Self, LoadError> {
        let version = document
            .get("openapi")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !version.starts_with("3.0") {
            return Err(document_error(
                text,
                "/openapi",
                &format!("only OpenAPI 3.0.x documents are supported, this one says {version:?}"),
            ));
        }
        Ok(Builder {
            text,
            document,
            converters: [
                Converter::new(document, Direction::Request),
                Converter::new(document, Direction::Response),
            ],
            defs: [Map::new(), Map::new()],
            refs: [HashMap::new(), HashMap::new()],
            used: [BTreeSet::new(), BTreeSet::new()],
            cache: HashMap::new(),
            roots: Vec::new(),
            operations: BTreeMap::new(),
            operation_pointers: HashMap::new(),
            examples: Vec::new(),
            seen_examples: HashSet::new(),
            used_closed: false,
        })
    }

    pub(crate) fn error(&self, pointer: &str, message: &str) -> LoadError {
        document_error(self.text, pointer, message)
    }

    /// Follows local `$ref`s (to responses, request bodies, parameters, examples).
    pub(crate) fn resolve(
        &self,
        node: &'d Value,
        pointer: &str,
    ) -> Result<(&'d Value, String), LoadError> {
        let mut node = node;
        let mut pointer = pointer.to_owned();
        for _ in 0..32 {
            let Some(reference) = node.get("$ref") else {
                return Ok((node, pointer));
            };
            let at = join_pointer(&pointer, "$ref");
            let target = reference
                .as_str()
                .and_then(|r| r.strip_prefix('#'))
                .ok_or_else(|| self.error(&at, "only local `$ref`s (\"#/...\") are supported"))?;
            node = crate::load::pointer(self.document, target).ok_or_else(|| {
                self.error(
                    &at,
                    &format!("`$ref` \"#{target}\" points at nothing in this document"),
                )
            })?;
            pointer = target.to_owned();
        }
        Err(self.error(&pointer, "`$ref`s form a cycle"))
    }

    pub(crate) fn operations(&mut self) -> Result<(), LoadError> {
        let Some(paths) = self.document.get("paths") else {
            return Ok(());
        };
        let paths = paths
            .as_object()
            .ok_or_else(|| self.error("/paths", "must be a mapping"))?;
        for (path, item) in paths {
            let item_pointer = join_pointer("/paths", path);
            let (item, item_pointer) = self.resolve(item, &item_pointer)?;
            let shared = item.get("parameters");
            for method in METHODS {
                if let Some(operation) = item.get(method) {
                    let pointer = join_pointer(&item_pointer, method);
                    let shared = shared.map(|p| (p, join_pointer(&item_pointer, "parameters")));
                    let place = (path.as_str(), method);
                    self.operation(operation, &pointer, place, shared)?;
                }
            }
        }
        Ok(())
    }

    pub(crate) fn operation(
        &mut self,
        operation: &'d Value,
        pointer: &str,
        (path, method): (&str, &'static str),
        shared_parameters: Option<(&'d Value, String)>,
    ) -> Result<(), LoadError> {
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .ok_or_else(|| self.error(pointer, "every operation needs an `operationId`"))?
            .to_owned();
        if let Some(first) = self
            .operation_pointers
            .insert(id.clone(), pointer.to_owned())
        {
            return Err(self.error(
                pointer,
                &format!(
                    "operationId {id:?} is already used at #{first}; operationIds must be unique"
                ),
            ));
        }
        let mut entry = Operation {
            method,
            path: path.to_owned(),
            ..Operation::default()
        };

        // Parameters: the operation's own replace the path item's of the same name and place.
        let mut parameters: Vec<(&'d Value, String)> = Vec::new();
        let own = operation
            .get("parameters")
            .map(|p| (p, join_pointer(pointer, "parameters")));
        for (list, list_pointer) in shared_parameters.into_iter().chain(own) {
            let list = list
                .as_array()
                .ok_or_else(|| self.error(&list_pointer, "`parameters` must be a list"))?;
            for (i, parameter) in list.iter().enumerate() {
                let (parameter, at) = self.resolve(parameter, &format!("{list_pointer}/{i}"))?;
                let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
                parameters.retain(|(known, _)| key(known) != key(parameter));
                parameters.push((parameter, at));
            }
        }
        for (parameter, at) in parameters {
            self.parameter(parameter, &at, &id)?;
        }

        if let Some(body) = operation.get("requestBody") {
            let (body, at) = self.resolve(body, &join_pointer(pointer, "requestBody"))?;
            entry.request =
                Some(self.content(body, &at, &id, Direction::Request, &ExampleTarget::Request)?);
        }
        if let Some(responses) = operation.get("responses") {
            let responses_pointer = join_pointer(pointer, "responses");
            let responses = responses
                .as_object()
                .ok_or_else(|| self.error(&responses_pointer, "`responses` must be a mapping"))?;
            for (status, response) in responses {
                let (response, at) =
                    self.resolve(response, &join_pointer(&responses_pointer, status))?;
                let target = ExampleTarget::Response {
                    status: status.clone(),
                };
                let body = self.content(response, &at, &id, Direction::Response, &target)?;
                if let Body::Json {
                    schema: Some(schema),
                    ..
                } = &body
                {
                    if status.starts_with('2') {
                        entry.success_schemas.push(schema.clone());
                    }
                }
                entry.responses.insert(status.to_ascii_uppercase(), body);
            }
        }
        self.operations.insert(id, entry);
        Ok(())
    }

    pub(crate) fn parameter(
        &mut self,
        parameter: &'d Value,
        pointer: &str,
        operation_id: &str,
    ) -> Result<(), LoadError> {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| self.error(pointer, "a parameter needs a `name`"))?;
        let Some(schema) = parameter.get("schema") else {
            return Ok(());
        };
        let schema_pointer = join_pointer(pointer, "schema");
        let index = self.compile(schema, &schema_pointer, Direction::Request)?;
        let target = ExampleTarget::Parameter {
            name: name.to_owned(),
        };
        let validator = (index, Some(schema_pointer.as_str()));
        self.examples_of(
            parameter,
            pointer,
            Some(operation_id),
            &target,
            validator,
            None,
        )?;
        self.schema_examples(
            schema,
            &schema_pointer,
            &[Direction::Request],
            Some(operation_id),
        )
    }

    /// Compiles the JSON media types of a request body or response and collects their
    /// examples; returns what a body of it is validated against.
    pub(crate) fn content(
        &mut self,
        holder: &'d Value,
        pointer: &str,
        operation_id: &str,
        direction: Direction,
        target: &ExampleTarget,
    ) -> Result<Body, LoadError> {
        let Some(content) = holder.get("content") else {
            return Ok(Body::Empty);
        };
        let content_pointer = join_pointer(pointer, "content");
        let content = content
            .as_object()
            .ok_or_else(|| self.error(&content_pointer, "`content` must be a mapping"))?;
        let mut body = None;
        for (media_type, entry) in content {
            if !is_json_like(media_type, direction) {
                continue;
            }
            let at = join_pointer(&content_pointer, media_type);
            let schema_pointer = join_pointer(&at, "schema");
            let schema = entry.get("schema").unwrap_or(&Value::Bool(true));
            let index = self.compile(schema, &schema_pointer, direction)?;
            let raw = entry.get("schema").map(|_| schema_pointer.clone());
            self.examples_of(
                entry,
                &at,
                Some(operation_id),
                target,
                (index, raw.as_deref()),
                None,
            )?;
            if let Some(schema) = entry.get("schema") {
                self.schema_examples(schema, &schema_pointer, &[direction], Some(operation_id))?;
            }
            body.get_or_insert(Body::Json {
                validator: index,
                schema: raw,
            });
        }
        Ok(match body {
            Some(body) => body,
            None => match content.keys().next() {
                Some(media_type) => Body::NotJson(media_type.clone()),
                None => Body::Empty,
            },
        })
    }

    /// Compiles, in the request direction, every `oneOf`/`anyOf` branch reachable from a
    /// request body or from an example the lint reads, keyed by the branch's pointer
    /// (`<schema>/oneOf/1`; through a `$ref`, the pointer of its target's branch).
    pub(crate) fn branch_validators(&mut self) -> Result<HashMap<String, usize>, LoadError> {
        let document = self.document;
        // Each schema with its pointer; a pointer is looked up from the document's root
        // only where the walk starts and where a `$ref` leads.
        let lookup = |pointer: String| -> Option<(String, &'d Value)> {
            crate::load::pointer(document, &pointer).map(|node| (pointer, node))
        };
        let mut pending: Vec<(String, &'d Value)> = self
            .operations
            .values()
            .filter_map(|operation| match &operation.request {
                Some(Body::Json {
                    schema: Some(schema),
                    ..
                }) => Some(schema.clone()),
                _ => None,
            })
            .filter_map(lookup)
            .collect();
        pending.extend(
            self.examples
                .iter()
                .filter(|example| crate::lint::is_linted(&example.target))
                .filter_map(|example| example.schema.clone())
                .filter_map(lookup),
        );
        let mut seen = HashSet::new();
        let mut branches = HashMap::new();
        while let Some((pointer, node)) = pending.pop() {
            let Value::Object(schema) = node else {
                continue;
            };
            if !seen.insert(pointer.clone()) {
                continue;
            }
            if let Some(target) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                pending.extend(lookup(target.to_owned()));
                continue;
            }
            if let Some(Value::Object(properties)) = schema.get("properties") {
                let at = join_pointer(&pointer, "properties");
                pending.extend(
                    properties
                        .iter()
                        .map(|(name, property)| (join_pointer(&at, name), property)),
                );
            }
            for key in ["items", "additionalProperties"] {
                if let Some(child) = schema.get(key).filter(|child| child.is_object()) {
                    pending.push((join_pointer(&pointer, key), child));
                }
            }
            for key in ["allOf", "oneOf", "anyOf"] {
                let Some(Value::Array(list)) = schema.get(key) else {
                    continue;
                };
                for (i, branch) in list.iter().enumerate() {
                    let at = format!("{}/{i}", join_pointer(&pointer, key));
                    if key != "allOf" {
                        let index = self.compile(branch, &at, Direction::Request)?;
                        branches.insert(at.clone(), index);
                    }
                    pending.push((at, branch));
                }
            }
        }
        Ok(branches)
    }

    /// Fills `used` with what the roots met so far reach, once the components' references
    /// are known; from then on [`Builder::compile`] keeps it up to date.
    pub(crate) fn close_used(&mut self) {
        for root in &self.roots {
            let direction = slot(root.direction);
            compile::reach(&self.refs[direction], &root.refs, &mut self.used[direction]);
        }
        self.used_closed = true;
    }

    /// Converts the schema at `pointer` for `direction`, once, for [`compile::compile`].
    pub(crate) fn compile(
        &mut self,
        schema: &Value,
        pointer: &str,
        direction: Direction,
    ) -> Result<usize, LoadError> {
        // A bare `$ref` shares the validator of the component it names.
        let key = match schema.as_object() {
            Some(object)
                if object.contains_key("$ref")
                    && object.get("nullable") != Some(&Value::Bool(true)) =>
            {
                match object
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix('#'))
                {
                    Some(target) => target.to_owned(),
                    None => pointer.to_owned(),
                }
            }
            _ => pointer.to_owned(),
        };
        if let Some(index) = self.cache.get(&(key.clone(), direction)) {
            return Ok(*index);
        }
        let mut refs = BTreeSet::new();
        let converted = self.converters[slot(direction)]
            .convert(schema, pointer, &mut refs)
            .map_err(|(at, message)| self.error(&at, &message))?;

        if self.used_closed {
            let direction = slot(direction);
            compile::reach(&self.refs[direction], &refs, &mut self.used[direction]);
        }
        self.roots.push(Root {
            schema: converted,
            refs,
            pointer: pointer.to_owned(),
            direction,
        });
        let index = self.roots.len() - 1;
        self.cache.insert((key, direction), index);
        Ok(index)
    }
}
