// A restricted unpickler for torch.save state dicts: the opcodes of protocols 2-4 that such
// pickles use, and an allow-list of globals (OrderedDict, tensor/parameter rebuilders, storage
// types). Anything else is an error naming the opcode or global: a checkpoint is data, never code.
#include <cstring>
#include <map>
#include <memory>
#include <variant>

#include "ml/hub/pytorch_bin.h"
#include "text/error.h"

namespace spanloop::ml::hub {
namespace {

struct Value;
using ValuePtr = std::shared_ptr<Value>;

struct StorageRef {
  BinDType dtype;
  std::string key;
  std::int64_t numel = 0;
};

struct Value {
  enum class Kind {
    kNone,
    kBool,
    kInt,
    kFloat,
    kString,
    kBytes,
    kTuple,
    kList,
    kDict,
    kGlobal,
    kStorage,
    kTensor
  };
  Kind kind = Kind::kNone;
  std::int64_t i = 0;
  double f = 0;
  std::string s;                // string, bytes, or "module.name" of a global
  std::vector<ValuePtr> items;  // tuple, list
  std::vector<std::pair<ValuePtr, ValuePtr>> dict;
  StorageRef storage;
  std::shared_ptr<BinTensor> tensor;
};

ValuePtr make(Value::Kind k) {
  auto v = std::make_shared<Value>();
  v->kind = k;
  return v;
}

const std::map<std::string, BinDType>& storage_types() {
  static const std::map<std::string, BinDType> m = {
      {"torch.FloatStorage", BinDType::kFloat32}, {"torch.DoubleStorage", BinDType::kFloat64},
      {"torch.HalfStorage", BinDType::kFloat16},  {"torch.BFloat16Storage", BinDType::kBFloat16},
      {"torch.LongStorage", BinDType::kInt64},    {"torch.IntStorage", BinDType::kInt32},
      {"torch.ShortStorage", BinDType::kInt16},   {"torch.CharStorage", BinDType::kInt8},
      {"torch.ByteStorage", BinDType::kUInt8},    {"torch.BoolStorage", BinDType::kBool}};
  return m;
}

class Unpickler {
 public:
  Unpickler(std::string_view data, std::string where) : data_(data), where_(std::move(where)) {}

  ValuePtr run() {
    while (true) {
      const std::size_t at = pos_;
      const auto op = static_cast<unsigned char>(byte());
      switch (op) {
        case 0x80:
          byte();
          break;  // PROTO
        case 0x95:
          take(8);
          break;  // FRAME (protocol 4)
        case '.':
          return pop();  // STOP
        case '(':
          marks_.push_back(stack_.size());
          break;  // MARK
        case 'N':
          push(make(Value::Kind::kNone));
          break;
        case 0x88:
          push_bool(true);
          break;  // NEWTRUE
        case 0x89:
          push_bool(false);
          break;  // NEWFALSE
        case 'J':
          push_int(static_cast<std::int32_t>(uint(4)));
          break;  // BININT
        case 'K':
          push_int(static_cast<std::int64_t>(uint(1)));
          break;  // BININT1
        case 'M':
          push_int(static_cast<std::int64_t>(uint(2)));
          break;  // BININT2
        case 0x8a:
          push_int(long1(uint(1)));
          break;     // LONG1
        case 'G': {  // BINFLOAT (big-endian double)
          std::uint64_t bits = 0;
          for (char c : take(8)) bits = (bits << 8) | static_cast<unsigned char>(c);
          auto v = make(Value::Kind::kFloat);
          std::memcpy(&v->f, &bits, 8);
          push(v);
          break;
        }
        case 'X':
          push_string(take(uint(4)), Value::Kind::kString);
          break;  // BINUNICODE
        case 0x8c:
          push_string(take(uint(1)), Value::Kind::kString);
          break;  // SHORT_BINUNICODE
        case 'T':
          push_string(take(uint(4)), Value::Kind::kString);
          break;  // BINSTRING
        case 'U':
          push_string(take(uint(1)), Value::Kind::kString);
          break;  // SHORT_BINSTRING
        case 'B':
          push_string(take(uint(4)), Value::Kind::kBytes);
          break;  // BINBYTES
        case 'C':
          push_string(take(uint(1)), Value::Kind::kBytes);
          break;  // SHORT_BINBYTES
        case ')':
          push(make(Value::Kind::kTuple));
          break;  // EMPTY_TUPLE
        case ']':
          push(make(Value::Kind::kList));
          break;  // EMPTY_LIST
        case '}':
          push(make(Value::Kind::kDict));
          break;  // EMPTY_DICT
        case 't':
          push(tuple_of(pop_mark()));
          break;  // TUPLE
        case 0x85:
          push(tuple_of(pop_n(1)));
          break;  // TUPLE1
        case 0x86:
          push(tuple_of(pop_n(2)));
          break;  // TUPLE2
        case 0x87:
          push(tuple_of(pop_n(3)));
          break;     // TUPLE3
        case 'l': {  // LIST
          auto v = make(Value::Kind::kList);
          v->items = pop_mark();
          push(v);
          break;
        }
        case 'd': {  // DICT
          auto v = make(Value::Kind::kDict);
          set_items(v, pop_mark(), at);
          push(v);
          break;
        }
        case 'a': {  // APPEND
          auto item = pop();
          list_at_top(at)->items.push_back(item);
          break;
        }
        case 'e': {  // APPENDS
          auto items = pop_mark();
          auto list = list_at_top(at);
          list->items.insert(list->items.end(), items.begin(), items.end());
          break;
        }
        case 's': {  // SETITEM
          auto value = pop();
          auto key = pop();
          set_items(top(at), {key, value}, at);
          break;
        }
        case 'u': {  // SETITEMS
          auto items = pop_mark();
          set_items(top(at), items, at);
          break;
        }
        case 'q':
          memo_[uint(1)] = top(at);
          break;  // BINPUT
        case 'r':
          memo_[uint(4)] = top(at);
          break;  // LONG_BINPUT
        case 0x94:
          memo_[memo_.size()] = top(at);
          break;  // MEMOIZE
        case 'h':
          push(memo(uint(1), at));
          break;  // BINGET
        case 'j':
          push(memo(uint(4), at));
          break;     // LONG_BINGET
        case 'c': {  // GLOBAL "module\nname\n"
          const std::string module = line(), name = line();
          push(global(module, name, at));
          break;
        }
        case 0x93: {  // STACK_GLOBAL
          auto name = pop(), module = pop();
          push(global(module->s, name->s, at));
          break;
        }
        case 'Q':
          push(persistent_load(pop(), at));
          break;     // BINPERSID
        case 'R': {  // REDUCE
          auto args = pop();
          auto fn = pop();
          push(reduce(fn, args, at));
          break;
        }
        case 0x81: {  // NEWOBJ
          auto args = pop();
          auto cls = pop();
          push(reduce(cls, args, at));
          break;
        }
        case 'b':
          pop();
          break;  // BUILD: object state (an OrderedDict's _metadata) is not needed
        default:
          fail("unsupported pickle opcode 0x" + hex(op) + " at byte " + std::to_string(at));
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw Error(ErrorKind::kInvalidArgument, where_ + ": " + why);
  }
  static std::string hex(unsigned v) {
    const char* d = "0123456789abcdef";
    return {d[(v >> 4) & 15], d[v & 15]};
  }
  char byte() {
    if (pos_ >= data_.size()) fail("pickle ends without STOP (truncated?)");
    return data_[pos_++];
  }
  std::string_view take(std::uint64_t n) {
    if (n > data_.size() - pos_) fail("pickle truncated at byte " + std::to_string(pos_));
    auto s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::uint64_t uint(int n) {
    std::uint64_t v = 0;
    const auto s = take(static_cast<std::uint64_t>(n));
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[i]);
    return v;
  }
  std::int64_t long1(std::uint64_t n) {
    if (n > 8) fail("integer wider than 64 bits in pickle");
    const auto s = take(n);
    std::uint64_t v = 0;
    for (std::uint64_t i = n; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(s[i]);
    if (n > 0 && n < 8 && (static_cast<unsigned char>(s[n - 1]) & 0x80))
      v |= ~std::uint64_t{0} << (8 * n);
    return static_cast<std::int64_t>(v);
  }
  std::string line() {
    const auto end = data_.find('\n', pos_);
    if (end == std::string_view::npos) fail("pickle truncated in a GLOBAL");
    std::string s(data_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return s;
  }
  void push(ValuePtr v) { stack_.push_back(std::move(v)); }
  void push_bool(bool b) {
    auto v = make(Value::Kind::kBool);
    v->i = b;
    push(v);
  }
  void push_int(std::int64_t i) {
    auto v = make(Value::Kind::kInt);
    v->i = i;
    push(v);
  }
  void push_string(std::string_view s, Value::Kind k) {
    auto v = make(k);
    v->s = std::string(s);
    push(v);
  }
  ValuePtr pop() {
    if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back())) {
      fail("pickle stack underflow at byte " + std::to_string(pos_));
    }
    auto v = stack_.back();
    stack_.pop_back();
    return v;
  }
  ValuePtr top(std::size_t at) {
    if (stack_.empty()) fail("pickle stack empty at byte " + std::to_string(at));
    return stack_.back();
  }
  std::vector<ValuePtr> pop_n(std::size_t n) {
    std::vector<ValuePtr> out(n);
    for (std::size_t i = n; i-- > 0;) out[i] = pop();
    return out;
  }
  std::vector<ValuePtr> pop_mark() {
    if (marks_.empty()) fail("pickle MARK missing at byte " + std::to_string(pos_));
    const std::size_t m = marks_.back();
    marks_.pop_back();
    std::vector<ValuePtr> out(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
    stack_.resize(m);
    return out;
  }
  ValuePtr tuple_of(std::vector<ValuePtr> items) {
    auto v = make(Value::Kind::kTuple);
    v->items = std::move(items);
    return v;
  }
  ValuePtr list_at_top(std::size_t at) {
    auto l = top(at);
    if (l->kind != Value::Kind::kList) fail("APPEND to a non-list at byte " + std::to_string(at));
    return l;
  }
  void set_items(const ValuePtr& dict, const std::vector<ValuePtr>& kv, std::size_t at) {
    if (dict->kind != Value::Kind::kDict)
      fail("SETITEM on a non-dict at byte " + std::to_string(at));
    if (kv.size() % 2) fail("odd number of dict items at byte " + std::to_string(at));
    for (std::size_t i = 0; i < kv.size(); i += 2) dict->dict.emplace_back(kv[i], kv[i + 1]);
  }
  ValuePtr memo(std::uint64_t key, std::size_t at) {
    const auto it = memo_.find(key);
    if (it == memo_.end())
      fail("pickle memo " + std::to_string(key) + " unset at byte " + std::to_string(at));
    return it->second;
  }

  ValuePtr global(const std::string& module, const std::string& name, std::size_t at) {
    const std::string full = module + "." + name;
    static const char* allowed[] = {"collections.OrderedDict",
                                    "torch._utils._rebuild_tensor_v2",
                                    "torch._utils._rebuild_tensor",
                                    "torch._utils._rebuild_parameter",
                                    "torch._utils._rebuild_parameter_with_state",
                                    "builtins.set",
                                    "__builtin__.set"};
    bool ok = storage_types().count(full) > 0;
    for (const char* a : allowed) ok = ok || full == a;
    if (!ok) {
      fail("unsupported global " + full + " at byte " + std::to_string(at) +
           " (only plain state dicts of tensors are read)");
    }
    auto v = make(Value::Kind::kGlobal);
    v->s = full;
    return v;
  }

  // ('storage', <storage type>, key, location, numel)
  ValuePtr persistent_load(const ValuePtr& pid, std::size_t at) {
    if (pid->kind != Value::Kind::kTuple || pid->items.size() < 5 ||
        pid->items[0]->kind != Value::Kind::kString || pid->items[0]->s != "storage" ||
        pid->items[1]->kind != Value::Kind::kGlobal ||
        pid->items[2]->kind != Value::Kind::kString || pid->items[4]->kind != Value::Kind::kInt) {
      fail("unexpected persistent id at byte " + std::to_string(at) +
           " (expected ('storage', type, key, location, numel))");
    }
    const auto type = storage_types().find(pid->items[1]->s);
    if (type == storage_types().end()) fail("unsupported storage type " + pid->items[1]->s);
    auto v = make(Value::Kind::kStorage);
    v->storage = {type->second, pid->items[2]->s, pid->items[4]->i};
    return v;
  }

  std::vector<std::int64_t> ints(const ValuePtr& v, const char* what, std::size_t at) {
    if (v->kind != Value::Kind::kTuple && v->kind != Value::Kind::kList) {
      fail(std::string(what) + " is not a tuple at byte " + std::to_string(at));
    }
    std::vector<std::int64_t> out;
    for (const auto& x : v->items) {
      if (x->kind != Value::Kind::kInt)
        fail(std::string(what) + " holds a non-integer at byte " + std::to_string(at));
      out.push_back(x->i);
    }
    return out;
  }

  ValuePtr reduce(const ValuePtr& fn, const ValuePtr& args, std::size_t at) {
    if (fn->kind != Value::Kind::kGlobal || args->kind != Value::Kind::kTuple) {
      fail("REDUCE of a non-global at byte " + std::to_string(at));
    }
    const auto& a = args->items;
    if (fn->s == "collections.OrderedDict") return make(Value::Kind::kDict);
    if (fn->s == "builtins.set" || fn->s == "__builtin__.set") return make(Value::Kind::kList);
    if (fn->s == "torch._utils._rebuild_tensor_v2" || fn->s == "torch._utils._rebuild_tensor") {
      if (a.size() < 4 || a[0]->kind != Value::Kind::kStorage || a[1]->kind != Value::Kind::kInt) {
        fail(fn->s + " with unexpected arguments at byte " + std::to_string(at));
      }
      auto t = std::make_shared<BinTensor>();
      t->dtype = a[0]->storage.dtype;
      t->storage_key = a[0]->storage.key;
      t->storage_numel = a[0]->storage.numel;
      t->storage_offset = a[1]->i;
      t->shape = ints(a[2], "tensor size", at);
      t->stride = ints(a[3], "tensor stride", at);
      if (t->shape.size() != t->stride.size())
        fail("tensor size and stride ranks differ at byte " + std::to_string(at));
      auto v = make(Value::Kind::kTensor);
      v->tensor = t;
      return v;
    }
    if (fn->s == "torch._utils._rebuild_parameter" ||
        fn->s == "torch._utils._rebuild_parameter_with_state") {
      if (a.empty() || a[0]->kind != Value::Kind::kTensor)
        fail("parameter without tensor at byte " + std::to_string(at));
      return a[0];
    }
    fail("cannot call " + fn->s + " at byte " + std::to_string(at));
  }

  std::string_view data_;
  std::string where_;
  std::size_t pos_ = 0;
  std::vector<ValuePtr> stack_;
  std::vector<std::size_t> marks_;
  std::map<std::uint64_t, ValuePtr> memo_;
};

}  // namespace

std::vector<BinTensor> decode_state_dict_pickle(std::string_view pickle, const std::string& where) {
  const ValuePtr root = Unpickler(pickle, where).run();
  if (root->kind != Value::Kind::kDict) {
    throw Error(ErrorKind::kInvalidArgument,
                where + ": the pickled object is not a state dict (a dict of tensors)");
  }
  std::vector<BinTensor> out;
  for (const auto& [key, value] : root->dict) {
    if (key->kind != Value::Kind::kString) {
      throw Error(ErrorKind::kInvalidArgument, where + ": a state dict key is not a string");
    }
    if (value->kind != Value::Kind::kTensor) {
      throw Error(ErrorKind::kInvalidArgument, where + ": entry \"" + key->s +
                                                   "\" is not a tensor (a full training checkpoint "
                                                   "rather than a model state dict?)");
    }
    BinTensor t = *value->tensor;
    t.name = key->s;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace spanloop::ml::hub
