// A file named by a scenario setting (a ring scenario's "protocol.nodes_file", say): the
// path is relative to the scenario file's folder, so a scenario and its side files move
// together; absolute paths are taken as they are.
#pragma once

#include <optional>
#include <string>

#include "scenario/config_reader.h"

namespace dsim {

struct SettingFile {
  std::string path;  // as opened: the scenario's folder joined with the setting's value
  std::string text;
};

// nullopt when `key` is absent. Throws ScenarioError naming the scenario file, the key's
// JSON path and the file when the value is not a non-empty string or the file cannot be read.
std::optional<SettingFile> read_setting_file(ConfigReader& reader, const std::string& key);

}  // namespace dsim
