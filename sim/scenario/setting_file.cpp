#include "scenario/setting_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace dsim {

std::optional<SettingFile> read_setting_file(ConfigReader& reader, const std::string& key) {
  std::optional<std::string> name = reader.optional_string(key);
  if (!name) return std::nullopt;
  if (name->empty()) reader.fail(key, "expected a file name, got an empty string");
  std::filesystem::path path(*name);
  if (path.is_relative()) path = std::filesystem::path(reader.file()).parent_path() / path;
  std::ifstream in(path, std::ios::binary);
  if (!in) reader.fail(key, "cannot read \"" + path.string() + "\" (relative to the scenario file's folder)");
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) reader.fail(key, "error reading \"" + path.string() + "\"");
  return SettingFile{path.string(), text.str()};
}

}  // namespace dsim
