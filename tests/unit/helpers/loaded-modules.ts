// Run as a process (tsx): runs one command line of an entry point in this process, then prints, as JSON,
// its exit code and which of the emulator's modules were loaded. Used by prod-path-loads-no-emulator.
import { bufferSink, processEnv } from "../../../src/command";

async function run(): Promise<void> {
  const [entry, ...argv] = process.argv.slice(2);
  const sink = bufferSink();
  let code: number;
  if (entry === "import-local") {
    // The positive control: the local-stack module does load the emulator.
    await import("../../../src/engine/local");
    code = 0;
  } else {
    const { main } = (await import(`../../../src/cli/${entry}`)) as {
      main: (a: string[], e: ReturnType<typeof processEnv>) => Promise<number>;
    };
    code = await main(argv, processEnv(process.env, sink));
  }
  const emulator = Object.keys(require.cache).filter((file) => /[/\\]emulator[/\\]/.test(file));
  process.stdout.write(JSON.stringify({ code, emulator, stderr: sink.stderr() }));
  process.exit(0);
}

void run();
