//! What a build prints, in Podman's words: `STEP n/m: INSTRUCTION` (with `[k/s]` before it
//! when the file has several stages), the instruction's own output, `--> Using cache ID` on
//! a hit and `--> SHORTID` after each commit; `-q` keeps all of it quiet except the final
//! id, which the CLI prints.

use std::io::Write;

use super::state::ImageState;

pub struct Output {
    quiet: bool,
}

impl Output {
    pub fn new(quiet: bool) -> Output {
        Output { quiet }
    }

    pub fn line(&self, text: &str) {
        if self.quiet {
            return;
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    }

    pub fn step(&self, stage: usize, stages: usize, n: usize, total: usize, instruction: &str) {
        let prefix = if stages > 1 {
            format!("[{}/{stages}] ", stage + 1)
        } else {
            String::new()
        };
        self.line(&format!("{prefix}STEP {n}/{total}: {instruction}"));
    }

    pub fn cache_hit(&self, image: &ImageState) {
        if let Some(id) = &image.id {
            self.line(&format!("--> Using cache {}", id.hex()));
        }
        self.committed(image);
    }

    pub fn committed(&self, image: &ImageState) {
        if let Some(id) = &image.id {
            self.line(&format!("--> {}", &id.hex()[..12]));
        }
    }
}
