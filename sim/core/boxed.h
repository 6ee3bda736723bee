// A value on the heap behind one pointer, or none; copied by value. For the fields that
// few messages of a type carry (an audit's reads, a refusal's reason): the message of the
// common shape stays within a Payload's inline storage (core/payload.h, 56 bytes), so
// sending it allocates nothing, and only the rare one pays for a heap block.
#pragma once

#include <memory>
#include <utility>

namespace dsim {

template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(const Boxed& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  Boxed(Boxed&& other) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&& other) noexcept = default;

  // The value, or null when none was ever made.
  const T* get() const { return value_.get(); }
  // The value, made (default-constructed) on first use.
  T& make() {
    if (!value_) value_ = std::make_unique<T>();
    return *value_;
  }

 private:
  std::unique_ptr<T> value_;
};

}  // namespace dsim
