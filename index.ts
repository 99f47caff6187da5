// Entry point for `pulumi up` run the usual way in this directory. The npm scripts run the same
// program through the Automation API (src/engine), so both paths produce the same stack.
import { program } from "./src/program";

export = program({ projectDir: __dirname });
