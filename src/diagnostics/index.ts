// Problems in input files with their positions (FILE:LINE:COL: message), for users.yaml, the stack
// files and the plan alike.
export * from "./problems";
export * from "./positions";
