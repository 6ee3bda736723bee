#include "net/latency_model.h"

#include <algorithm>
#include <cmath>

#include "net/llround_nonnegative.h"

namespace dsim {

Duration LatencyModel::sample(Rng& rng) const {
  double draw_ns = 0;
  switch (kind) {
    case Kind::kConstant:
      return floor + value;
    case Kind::kUniform:
      return floor + rng.uniform_duration(value, max);
    case Kind::kExponential:
      draw_ns = rng.exponential(static_cast<double>(value.ns));
      break;
    case Kind::kLognormal:
      draw_ns = rng.lognormal(static_cast<double>(value.ns), shape);
      break;
    case Kind::kPareto:
      draw_ns = rng.pareto(static_cast<double>(value.ns), shape);
      break;
  }
  double capped = std::min(draw_ns, static_cast<double>(cap.ns));
  // A double at or above 2^63 does not convert to int64: clamp (cap may be near the top).
  if (!(capped < 9.2e18)) return floor + Duration::max();
  return floor + Duration{llround_nonnegative(std::max(capped, 0.0))};
}

double LatencyModel::mean_ns() const {
  double base = 0;
  switch (kind) {
    case Kind::kConstant:
      base = static_cast<double>(value.ns);
      break;
    case Kind::kUniform:
      base = (static_cast<double>(value.ns) + static_cast<double>(max.ns)) / 2;
      break;
    case Kind::kExponential:
      base = static_cast<double>(value.ns);
      break;
    case Kind::kLognormal:
      base = static_cast<double>(value.ns) * std::exp(shape * shape / 2);
      break;
    case Kind::kPareto:
      base = shape > 1 ? static_cast<double>(value.ns) * shape / (shape - 1) : INFINITY;
      break;
  }
  return static_cast<double>(floor.ns) + base;
}

}  // namespace dsim
