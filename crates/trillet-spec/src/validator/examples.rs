//! The examples of the document, collected while the builder walks it: media-type
//! examples, parameter examples and schema `example`s.

#![allow(clippy::wildcard_imports)]

use super::build::Builder;
use super::*;
use crate::load::join_pointer;

impl<'d> Builder<'d> {
    /// Collects `example` and `examples` of a media type or parameter, checked against
    /// `validator`, the compiled form of the schema at the pointer beside it (if any).
    pub(crate) fn examples_of(
        &mut self,
        holder: &'d Value,
        pointer: &str,
        operation_id: Option<&str>,
        target: &ExampleTarget,
        validator: (usize, Option<&str>),
        direction: Option<Direction>,
    ) -> Result<(), LoadError> {
        if let Some(value) = holder.get("example") {
            self.add_example(
                join_pointer(pointer, "example"),
                operation_id,
                target,
                value,
                validator,
                direction,
            );
        }
        if let Some(examples) = holder.get("examples") {
            let examples_pointer = join_pointer(pointer, "examples");
            let examples = examples
                .as_object()
                .ok_or_else(|| self.error(&examples_pointer, "`examples` must be a mapping"))?;
            for (name, example) in examples {
                let location = join_pointer(&examples_pointer, name);
                let (example, at) = self.resolve(example, &location)?;
                match example.get("value") {
                    Some(value) => {
                        self.add_example(
                            location,
                            operation_id,
                            target,
                            value,
                            validator,
                            direction,
                        );
                    }
                    None if example.get("externalValue").is_some() => {}
                    None => {
                        return Err(self.error(
                            &at,
                            "an Example Object needs a `value` (or an `externalValue`)",
                        ))
                    }
                }
            }
        }
        Ok(())
    }

    pub(crate) fn add_example(
        &mut self,
        location: String,
        operation_id: Option<&str>,
        target: &ExampleTarget,
        value: &Value,
        (validator, schema): (usize, Option<&str>),
        direction: Option<Direction>,
    ) {
        if self.seen_examples.insert((location.clone(), direction)) {
            self.examples.push(Example {
                location,
                operation_id: operation_id.map(str::to_owned),
                target: target.clone(),
                value: value.clone(),
                validator,
                schema: schema.map(str::to_owned),
            });
        }
    }

    /// Collects the `example` keywords of a schema and the schemas inside it, without
    /// following `$ref`s (component schemas are walked on their own).
    pub(crate) fn schema_examples(
        &mut self,
        schema: &'d Value,
        pointer: &str,
        directions: &[Direction],
        operation_id: Option<&str>,
    ) -> Result<(), LoadError> {
        let Value::Object(object) = schema else {
            return Ok(());
        };
        if let Some(value) = object.get("example") {
            for &direction in directions {
                let index = self.compile(schema, pointer, direction)?;
                let target = ExampleTarget::Schema { direction };
                self.add_example(
                    join_pointer(pointer, "example"),
                    operation_id,
                    &target,
                    value,
                    (index, Some(pointer)),
                    Some(direction),
                );
            }
        }
        if object.contains_key("$ref") {
            return Ok(());
        }
        let mut children: Vec<(&'d Value, String)> = Vec::new();
        for key in ["items", "additionalProperties", "not"] {
            if let Some(child) = object.get(key) {
                children.push((child, join_pointer(pointer, key)));
            }
        }
        if let Some(Value::Object(properties)) = object.get("properties") {
            let at = join_pointer(pointer, "properties");
            children.extend(
                properties
                    .iter()
                    .map(|(name, child)| (child, join_pointer(&at, name))),
            );
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = object.get(key) {
                let at = join_pointer(pointer, key);
                children.extend(
                    branches
                        .iter()
                        .enumerate()
                        .map(|(i, child)| (child, format!("{at}/{i}"))),
                );
            }
        }
        for (child, at) in children {
            self.schema_examples(child, &at, directions, operation_id)?;
        }
        Ok(())
    }

    /// Examples of `#/components/schemas`, in the directions each schema is used in.
    pub(crate) fn component_schema_examples(&mut self) -> Result<(), LoadError> {
        let Some(Value::Object(components)) = self.document.pointer("/components/schemas") else {
            return Ok(());
        };
        for (name, schema) in components {
            let mut directions: Vec<Direction> = [Direction::Request, Direction::Response]
                .into_iter()
                .filter(|d| self.used[slot(*d)].contains(name))
                .collect();
            if directions.is_empty() {
                directions = vec![Direction::Request, Direction::Response];
            }
            self.schema_examples(
                schema,
                &join_pointer("/components/schemas", name),
                &directions,
                None,
            )?;
        }
        Ok(())
    }
}
