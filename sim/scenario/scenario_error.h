// Bad input: which file, which JSON path, what was expected. The CLI turns it into a
// message on stderr and exit code 2.
#pragma once

#include <stdexcept>
#include <string>

namespace dsim {

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, std::string path, std::string problem)
      : std::runtime_error(file + ": at " + path + ": " + problem),
        file_(std::move(file)),
        path_(std::move(path)),
        problem_(std::move(problem)) {}
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string file_, path_, problem_;
};

}  // namespace dsim
