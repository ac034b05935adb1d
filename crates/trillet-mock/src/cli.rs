//! The command line of the mock (the `trillet-mock` binary and `cargo xtask mock`).

use std::process::ExitCode;

use crate::{MockConfig, MockServer, WebhookTarget};

/// The help text.
pub const HELP: &str = "\
Serve a stateful, validating mock of the Trillet API on 127.0.0.1, from openapi/trillet.yaml.

Usage: trillet-mock [OPTIONS]    (or: cargo xtask mock [OPTIONS])

Options:
  --port N              port on 127.0.0.1; 0 (the default) picks a free one and prints it
  --seed N              seed of the generated ids (default 1): same seed, same ids
  --clock-speed X       the simulated clock runs X times real time (default 1; 0 stands
                        still until POST /__mock/clock {\"advanceMs\": N})
  --call-seconds N      how long a simulated call lasts (default 30)
  --concurrency N       calls of one batch at a time (default 2)
  --webhook-url URL     post signed call.* webhooks here (loopback only: 127.0.0.1, localhost, [::1])
  --webhook-secret-env VAR
                        environment variable holding the webhook secret (default
                        TRILLET_WEBHOOK_SECRET); never given on the command line
  --spec FILE           serve this OpenAPI document instead of the embedded contract
  --faults FILE         fault rules in force from the start: a JSON array of
                        {\"operationId\": \"sendCall\", \"fault\": \"503\", \"count\": 1}
  -h, --help            this text

Endpoints of the mock itself: GET /__mock/requests, GET|POST|DELETE /__mock/faults,
GET|POST /__mock/clock, GET /__mock/webhooks, GET /__mock/routes. A request header
`x-mock-fault: 503` (or 429;retry-after=2, delay=200ms, reset, truncate) makes one request fail.

Exit codes: 0 stopped, 1 could not start, 2 bad arguments.
";

/// Parses `args` into a configuration; the message for the user when they are wrong.
///
/// # Errors
///
/// A message naming the bad argument.
pub fn parse(args: &[String]) -> Result<Option<MockConfig>, String> {
    let mut config = MockConfig::default();
    let mut webhook_url = None;
    let mut secret_env = "TRILLET_WEBHOOK_SECRET".to_owned();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value (see --help)"))
        };
        fn number<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, String> {
            text.parse()
                .map_err(|_| format!("{name} {text:?}: expected a number (see --help)"))
        }
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => config.port = number("--port", &value("--port")?)?,
            "--seed" => config.seed = number("--seed", &value("--seed")?)?,
            "--clock-speed" => {
                config.clock_speed = number("--clock-speed", &value("--clock-speed")?)?
            }
            "--call-seconds" => {
                let seconds: u64 = number("--call-seconds", &value("--call-seconds")?)?;
                config.calls.call_ms = seconds * 1000;
                config.calls.failed_call_ms = (seconds * 1000 / 3).max(1);
            }
            "--concurrency" => {
                config.calls.batch_concurrency = number("--concurrency", &value("--concurrency")?)?
            }
            "--webhook-url" => webhook_url = Some(value("--webhook-url")?),
            "--webhook-secret-env" => secret_env = value("--webhook-secret-env")?,
            "--spec" => {
                let path = value("--spec")?;
                let text = trillet_spec::read_to_string_limited(
                    std::path::Path::new(&path),
                    trillet_spec::MAX_DOCUMENT_BYTES,
                )
                .map_err(|e| format!("--spec {path}: {e}"))?;
                config.document = Some(text);
            }
            "--faults" => {
                let path = value("--faults")?;
                let text =
                    trillet_spec::read_to_string_limited(std::path::Path::new(&path), 1024 * 1024)
                        .map_err(|e| format!("--faults {path}: {e}"))?;
                let rules: serde_json::Value = serde_json::from_str(&text)
                    .map_err(|e| format!("--faults {path}: not JSON ({e})"))?;
                let rules = rules
                    .as_array()
                    .ok_or_else(|| format!("--faults {path}: expected a JSON array of rules"))?;
                for (i, rule) in rules.iter().enumerate() {
                    let rule = crate::FaultRule::from_json(rule)
                        .map_err(|e| format!("--faults {path}: /{i}: {e}"))?;
                    config.faults.push(rule);
                }
            }
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    if let Some(url) = webhook_url {
        let secret = std::env::var(&secret_env).map_err(|_| {
            format!("--webhook-url needs the secret in ${secret_env} (set it, or name another variable with --webhook-secret-env)")
        })?;
        config.webhook = Some(WebhookTarget::new(url, secret)?);
    }
    Ok(Some(config))
}

/// Runs the mock with `args` until the process is stopped.
pub async fn main(args: Vec<String>) -> ExitCode {
    let config = match parse(&args) {
        Ok(Some(config)) => config,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match MockServer::start(config).await {
        Ok(mock) => {
            println!("trillet-mock listening on {} (Ctrl-C to stop)", mock.url());
            mock.run_forever().await;
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn arguments_parse_or_name_what_is_wrong() {
        let config = parse(&args(&[
            "--port",
            "0",
            "--seed",
            "9",
            "--clock-speed",
            "5",
            "--concurrency",
            "3",
        ]))
        .expect("valid")
        .expect("a config");
        assert_eq!(
            (config.port, config.seed, config.calls.batch_concurrency),
            (0, 9, 3)
        );
        assert!(parse(&args(&["--help"])).expect("valid").is_none());
        for (bad, says) in [
            (&["--port"][..], "--port needs a value"),
            (&["--port", "x"], "--port \"x\": expected a number"),
            (&["--frob"], "unknown argument"),
            (
                &["--faults", "/nonexistent/rules.json"],
                "--faults /nonexistent/rules.json",
            ),
        ] {
            let error = parse(&args(bad)).expect_err("refused");
            assert!(error.contains(says), "{bad:?}: {error}");
        }
    }
}
