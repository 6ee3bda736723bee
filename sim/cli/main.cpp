// dsim: the command-line front end with the built-in protocol families (cli/main_with.h).
#include "cli/main_with.h"

int main(int argc, char** argv) { return dsim::cli::main_with(argc, argv, {}); }
