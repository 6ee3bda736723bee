#include "cli/describe.h"

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace dsim::cli {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// "integer 1..16", "duration > 0", "one of sync, none"
std::string kind_text(const Setting& s) {
  switch (s.type) {
    case Setting::Type::kInteger:
      return "integer " + std::to_string(s.min) + ".." + std::to_string(s.max);
    case Setting::Type::kNumber:
      return "number " + number_text(s.low) + ".." + number_text(s.high);
    case Setting::Type::kDuration:
      if (s.period_min.ns > 0) return "period >= " + format_duration(s.period_min);
      return s.positive ? "duration > 0" : "duration >= 0";
    case Setting::Type::kChoice:
      return "one of " + joined(s.choices);
    default:
      return to_string(s.type);
  }
}

std::string default_text(const Setting& s) {
  Json d = default_json(s);
  std::string text = d.is_null() ? s.default_note : d.is_string() ? d.get<std::string>() : d.dump();
  if (!d.is_null() && !s.unit.empty()) text += " " + s.unit;
  return text.empty() ? "-" : text;
}

void describe_row(std::ostream& out, const Setting& s) {
  char line[200];
  std::snprintf(line, sizeof line, "    %-30s %-26s %-16s ", s.key.c_str(), kind_text(s).c_str(),
                default_text(s).c_str());
  out << line << s.meaning;
  if (!s.variants.empty()) out << " [only " << joined(s.variants) << "]";
  if (!s.only_in.empty()) out << " [switched on only in " << joined(s.only_in) << "]";
  if (!s.when_key.empty()) out << " [only with " << s.when_key << " " << joined(s.when_values) << "]";
  if (!s.nonzero_key.empty()) out << " [only with " << s.nonzero_key << " above 0]";
  if (!s.roles.empty()) out << " [only with nodes of role " << joined(s.roles) << "]";
  if (!s.checks.empty()) out << " [only with the check" << (s.checks.size() == 1 ? " " : "s ") << joined(s.checks) << "]";
  out << "\n";
}

}  // namespace

Json describe_family_json(const ProtocolFamily& family) {
  Json out = Json::object();
  out["name"] = family.name;
  out["summary"] = family.summary;
  out["variants"] = family.variants;
  out["default_variant"] = family.variants.front();
  out["checks"] = check_names(family);
  out["default_checks"] = default_check_names(family);
  Json descriptions = Json::object();
  for (const CheckInfo& c : family.checks) descriptions[c.name] = c.description;
  out["check_descriptions"] = std::move(descriptions);
  out["settings"] = family.settings->to_json();
  if (!family.roles.empty()) {
    Json roles = Json::array();
    for (const RoleRow& r : family.roles) {
      Json row = Json::object();
      row["role"] = r.role;
      if (!r.variants.empty()) row["variants"] = r.variants;
      row["meaning"] = r.meaning;
      roles.push_back(std::move(row));
    }
    out["roles"] = std::move(roles);
  }
  return out;
}

void describe_family_text(std::ostream& out, const ProtocolFamily& family) {
  out << family.name << ": " << family.summary << "\n";
  out << "  variants: " << family.variants.front() << " (default)";
  for (size_t i = 1; i < family.variants.size(); ++i) out << ", " << family.variants[i];
  out << "\n  checks (* on when a scenario names no checks):\n";
  for (const CheckInfo& c : family.checks) {
    char line[200];
    std::snprintf(line, sizeof line, "    %-30s ", (c.name + (c.on_by_default ? "*" : "")).c_str());
    out << line << c.description << "\n";
  }
  if (!family.roles.empty()) {
    out << "  roles (keys of \"nodes\"):\n";
    for (const RoleRow& r : family.roles) {
      char line[200];
      std::snprintf(line, sizeof line, "    %-30s ", r.role.c_str());
      out << line << r.meaning;
      if (!r.variants.empty()) out << " [only " << joined(r.variants) << "]";
      out << "\n";
    }
  }
  // Sections in the order they first appear, each with all its rows.
  std::vector<std::string> sections;
  for (const Setting& s : family.settings->settings()) {
    if (std::find(sections.begin(), sections.end(), s.section) == sections.end()) {
      sections.push_back(s.section);
    }
  }
  for (const std::string& section : sections) {
    out << "  " << section << ":\n";
    for (const Setting& s : family.settings->settings()) {
      if (s.section == section) describe_row(out, s);
    }
  }
}

}  // namespace dsim::cli
