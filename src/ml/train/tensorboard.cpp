// Protobuf wire format written by hand: Event {1: double wall_time, 2: int64 step,
// 3: string file_version, 5: Summary}; Summary {1: repeated Value}; Value {1: string tag,
// 2: float simple_value}.
#include "ml/train/tensorboard.h"

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>

#include "text/error.h"

namespace spanloop::ml::train {
namespace {

std::array<std::uint32_t, 256> make_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    t[i] = c;
  }
  return t;
}

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
template <typename T>
void put_fixed(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));  // little-endian hosts (x86-64, aarch64)
  out.append(b, sizeof(T));
}
void put_bytes(std::string& out, int field, std::string_view bytes) {
  put_varint(out, static_cast<std::uint64_t>(field) << 3 | 2);
  put_varint(out, bytes.size());
  out.append(bytes);
}

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string event_header(double wall_time, std::int64_t step) {
  std::string e;
  put_varint(e, 1 << 3 | 1);
  put_fixed(e, wall_time);
  if (step != 0) {
    put_varint(e, 2 << 3 | 0);
    put_varint(e, static_cast<std::uint64_t>(step));
  }
  return e;
}

// Minimal protobuf reader over one message.
struct Reader {
  std::string_view d;
  std::size_t p = 0;
  bool done() const { return p >= d.size(); }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; p < d.size() && shift < 64; shift += 7) {
      const auto b = static_cast<unsigned char>(d[p++]);
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    throw_invalid("truncated protobuf varint");
  }
  std::string_view bytes(std::size_t n) {
    if (p + n > d.size()) throw_invalid("truncated protobuf field");
    auto s = d.substr(p, n);
    p += n;
    return s;
  }
  void skip(int wire) {
    if (wire == 0)
      varint();
    else if (wire == 1)
      bytes(8);
    else if (wire == 5)
      bytes(4);
    else if (wire == 2)
      bytes(varint());
    else
      throw_invalid("unsupported protobuf wire type " + std::to_string(wire));
  }
};

}  // namespace

std::uint32_t crc32c(std::string_view data) {
  static const auto table = make_table();
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::uint32_t masked_crc32c(std::string_view data) {
  const std::uint32_t c = crc32c(data);
  return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

TensorBoardWriter::TensorBoardWriter(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  const double t = now_seconds();
  path_ = dir / ("events.out.tfevents." + std::to_string(static_cast<long long>(t)) + "." + host);
  out_.open(path_, std::ios::binary);
  if (!out_) throw Error(ErrorKind::kUnavailable, "cannot write " + path_.string());
  std::string e = event_header(t, 0);
  put_bytes(e, 3, "brain.Event:2");
  write_record(e);
  out_.flush();
}

void TensorBoardWriter::add_scalar(const std::string& tag, float value, std::int64_t step) {
  std::string v;
  put_bytes(v, 1, tag);
  put_varint(v, 2 << 3 | 5);
  put_fixed(v, value);
  std::string summary;
  put_bytes(summary, 1, v);
  std::string e = event_header(now_seconds(), step);
  put_bytes(e, 5, summary);
  write_record(e);
}

void TensorBoardWriter::write_record(const std::string& event) {
  std::string header;
  put_fixed(header, static_cast<std::uint64_t>(event.size()));
  std::string rec = header;
  put_fixed(rec, masked_crc32c(header));
  rec += event;
  put_fixed(rec, masked_crc32c(event));
  out_.write(rec.data(), static_cast<std::streamsize>(rec.size()));
}

std::vector<ScalarEvent> read_scalar_events(const std::filesystem::path& file,
                                            std::string* file_version) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw_not_found("cannot read " + file.string());
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<ScalarEvent> out;
  std::size_t p = 0, index = 0;
  auto fail = [&](const std::string& m) {
    throw_invalid(file.string() + ": record " + std::to_string(index) + ": " + m);
  };
  auto u32 = [&](std::size_t at) {
    std::uint32_t v;
    std::memcpy(&v, all.data() + at, 4);
    return v;
  };
  while (p < all.size()) {
    if (p + 12 > all.size()) fail("truncated header");
    std::uint64_t len;
    std::memcpy(&len, all.data() + p, 8);
    if (u32(p + 8) != masked_crc32c(std::string_view(all).substr(p, 8)))
      fail("length CRC mismatch");
    if (p + 12 + len + 4 > all.size()) fail("truncated data");
    const std::string_view data = std::string_view(all).substr(p + 12, len);
    if (u32(p + 12 + len) != masked_crc32c(data)) fail("data CRC mismatch");
    Reader r{data};
    double wall = 0;
    std::int64_t step = 0;
    while (!r.done()) {
      const auto key = r.varint();
      const int field = static_cast<int>(key >> 3), wire = static_cast<int>(key & 7);
      if (field == 1 && wire == 1) {
        std::memcpy(&wall, r.bytes(8).data(), 8);
      } else if (field == 2 && wire == 0) {
        step = static_cast<std::int64_t>(r.varint());
      } else if (field == 3 && wire == 2) {
        const auto s = r.bytes(r.varint());
        if (file_version && index == 0) *file_version = std::string(s);
      } else if (field == 5 && wire == 2) {
        Reader summary{r.bytes(r.varint())};
        while (!summary.done()) {
          const auto k = summary.varint();
          if ((k >> 3) != 1 || (k & 7) != 2) {
            summary.skip(static_cast<int>(k & 7));
            continue;
          }
          Reader value{summary.bytes(summary.varint())};
          ScalarEvent ev{wall, step, {}, 0};
          while (!value.done()) {
            const auto vk = value.varint();
            if (vk == (1 << 3 | 2))
              ev.tag = std::string(value.bytes(value.varint()));
            else if (vk == (2 << 3 | 5))
              std::memcpy(&ev.value, value.bytes(4).data(), 4);
            else
              value.skip(static_cast<int>(vk & 7));
          }
          out.push_back(ev);
        }
      } else {
        r.skip(wire);
      }
    }
    p += 12 + len + 4;
    ++index;
  }
  return out;
}

}  // namespace spanloop::ml::train
