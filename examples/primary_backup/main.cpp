// pb_dsim: the whole dsim command line with the primary_backup family added.
#include "cli/main_with.h"
#include "primary_backup.h"

int main(int argc, char** argv) {
  return dsim::cli::main_with(argc, argv, {primary_backup::family()});
}
