// Compiles a VRL program (argv[1], a file) with the vrl crate's standard library and runs it on
// each JSON event read from stdin, printing the event after the program, or {"aborted":true},
// or {"runtime_error": ...}. Compile errors go to stderr with exit code 2.
use std::io::{BufRead, Write};
use vrl::compiler::{compile, state::RuntimeState, Context, TargetValue, TimeZone};
use vrl::value::{Secrets, Value};

fn main() {
    let path = std::env::args().nth(1).expect("VRL file");
    let source = std::fs::read_to_string(&path).expect("read VRL file");
    let fns = vrl::stdlib::all();
    let program = match compile(&source, &fns) {
        Ok(result) => result.program,
        Err(diagnostics) => {
            eprintln!("{}", vrl::diagnostic::Formatter::new(&source, diagnostics));
            std::process::exit(2);
        }
    };
    let tz = TimeZone::default();
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        let json: serde_json::Value = serde_json::from_str(&line).expect("event JSON");
        let mut target = TargetValue { value: Value::from(json), metadata: Value::Object(Default::default()), secrets: Secrets::default() };
        let mut state = RuntimeState::default();
        let mut ctx = Context::new(&mut target, &mut state, &tz);
        let result = match program.resolve(&mut ctx) {
            Ok(_) => serde_json::to_string(&target.value).expect("serialise"),
            Err(vrl::compiler::ExpressionError::Abort { .. }) => "{\"aborted\":true}".to_string(),
            Err(e) => serde_json::json!({ "runtime_error": e.to_string() }).to_string(),
        };
        writeln!(out, "{}", result).expect("stdout");
    }
}
