//! Lines typed by the user: with line editing and history on a terminal,
//! plain lines when stdin is a pipe or a file.

use crate::cli::Failure;
use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;
use std::io::{self, BufRead, IsTerminal};

/// Where the clients read their messages from.
#[derive(Debug)]
pub enum Input {
    /// A person at a terminal: rustyline, with a prompt.
    Terminal(Box<DefaultEditor>, String),
    /// A pipe or a file: lines as bytes, no prompt.
    Piped(io::StdinLock<'static>),
}

impl Input {
    /// Picks the terminal editor when stdin is a terminal.
    pub fn open(prompt: &str) -> Result<Self, Failure> {
        if io::stdin().is_terminal() {
            let editor = DefaultEditor::new().map_err(|e| {
                Failure::new("cannot set up line editing").because(e)
            })?;
            Ok(Input::Terminal(Box::new(editor), prompt.to_string()))
        } else {
            Ok(Input::Piped(io::stdin().lock()))
        }
    }

    /// The next line without its line ending, or `None` at the end of the
    /// input (Ctrl-D, Ctrl-C, or the end of a pipe).
    pub fn next_line(&mut self) -> Result<Option<Vec<u8>>, Failure> {
        match self {
            Input::Terminal(editor, prompt) => match editor.readline(prompt) {
                Ok(line) => {
                    // History is a convenience; failing to add is harmless.
                    let _ = editor.add_history_entry(line.as_str());
                    Ok(Some(line.into_bytes()))
                }
                Err(ReadlineError::Eof | ReadlineError::Interrupted) => {
                    Ok(None)
                }
                Err(e) => {
                    Err(Failure::new("cannot read from the terminal")
                        .because(e))
                }
            },
            Input::Piped(stdin) => {
                let mut line = Vec::new();
                let n = stdin.read_until(b'\n', &mut line).map_err(|e| {
                    Failure::new("cannot read standard input").because(e)
                })?;
                if n == 0 {
                    return Ok(None);
                }
                if line.ends_with(b"\n") {
                    line.pop();
                    if line.ends_with(b"\r") {
                        line.pop();
                    }
                }
                Ok(Some(line))
            }
        }
    }

    /// `first` and every line after it up to an empty line or the end of
    /// the input: everything `--no-wait` sends at once.
    pub fn all_lines(
        &mut self,
        first: Vec<u8>,
    ) -> Result<Vec<Vec<u8>>, Failure> {
        let mut lines = Vec::new();
        let mut line = first;
        while !line.is_empty() {
            lines.push(line);
            line = self.next_line()?.unwrap_or_default();
        }
        Ok(lines)
    }
}
