import { loadUsersFile } from "./src/users/load";
import { formatProblems } from "./src/diagnostics/problems";
const l = loadUsersFile(process.argv[2]);
console.log(l.state ? "valid " + JSON.stringify(l.state.portal?.access.map(a=>[a.app,a.devices])) : formatProblems(l.problems));
