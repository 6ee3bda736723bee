// dsim describe [FAMILY] [--json]: the protocol families, their variants, checks and
// settings (defaults, ranges, units), from the tables the scenario loader reads through.
#include <iostream>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/describe.h"
#include "explore/version.h"
#include "protocols/registry.h"

namespace dsim::cli {

int describe_command(int argc, char** argv) {
  const std::string usage =
      "usage: dsim describe [FAMILY] [--json]\n"
      "Lists the protocol families a scenario's \"protocol.name\" can name (or just FAMILY):\n"
      "each one's variants, checks, and the settings under \"protocol\" and \"workload\" with\n"
      "their types, ranges, defaults and units. --json prints the same for programs.";
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "family", po::value<std::string>()->default_value(""), "one family (default: all)")(
      "json", "print JSON");
  po::positional_options_description pos;
  pos.add("family", 1);
  po::variables_map vm;
  int exit = kOk;
  if (!parse_options(argc, argv, usage, opts, pos, vm, exit)) return exit;

  const std::string name = vm["family"].as<std::string>();
  std::vector<const ProtocolFamily*> chosen;
  std::vector<std::string> names;
  for (const ProtocolFamily& f : protocol_families()) {
    names.push_back(f.name);
    if (name.empty() || f.name == name) chosen.push_back(&f);
  }
  if (chosen.empty()) {
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    std::string hint = closest_match(name, names);
    std::cerr << "dsim: no protocol family \"" << name << "\""
              << (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") << "; families: " << list
              << "\n";
    return kBadInput;
  }
  if (vm.count("json") != 0) {
    Json out = Json::object();
    out["version"] = explore::program_version();
    out["families"] = Json::array();
    for (const ProtocolFamily* f : chosen) out["families"].push_back(describe_family_json(*f));
    std::cout << out.dump(2) << "\n";
    return kOk;
  }
  for (size_t i = 0; i < chosen.size(); ++i) {
    if (i > 0) std::cout << "\n";
    describe_family_text(std::cout, *chosen[i]);
  }
  return kOk;
}

}  // namespace dsim::cli
