#include "embedded_python.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>

#ifdef CASBLOB_BENCH_EMBED_PYTHON
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#endif

namespace bench {

#ifdef CASBLOB_BENCH_EMBED_PYTHON

namespace {

[[noreturn]] void python_failed(const char* what) {
  PyErr_Print();
  std::fprintf(stderr, "casblob_bench: embedded Python: %s failed\n", what);
  std::exit(1);
}

// Owns one reference; std::function copies share it.
using Ref = std::shared_ptr<PyObject>;
Ref owned(PyObject* o) {
  return Ref(o, [](PyObject* p) { Py_XDECREF(p); });
}

// A Python callable with its argument tuple; the call's result is dropped at once, as the
// Python loop in pybench._measure drops it.
struct Call {
  Ref fn, args;
  void operator()() const {
    PyObject* r = PyObject_Call(fn.get(), args.get(), nullptr);
    if (!r) python_failed("a timed call");
    Py_DECREF(r);
  }
};

PyObject* bytes_of(casblob::ByteView b) {
  PyObject* o = PyBytes_FromStringAndSize(reinterpret_cast<const char*>(b.data()), static_cast<Py_ssize_t>(b.size()));
  if (!o) python_failed("PyBytes_FromStringAndSize");
  return o;
}

}  // namespace

bool EmbeddedPython::compiled_in() noexcept { return true; }

EmbeddedPython::EmbeddedPython(const std::string& bench_dir) {
  Py_InitializeEx(0);  // no signal handlers: the bench is a plain C++ program
  PyObject* path = PySys_GetObject("path");  // borrowed
  PyObject* dir = PyUnicode_FromString(bench_dir.c_str());
  if (!path || !dir || PyList_Insert(path, 0, dir) != 0) python_failed("sys.path.insert");
  Py_DECREF(dir);
  PyObject* m = PyImport_ImportModule("pybench");
  if (!m) {
    PyErr_Print();
    why_not_ = "import pybench from " + bench_dir + " failed";
    return;
  }
  module_ = m;
  ok_ = true;
}

// The interpreter stays up until exit (no Py_Finalize): the variants' callables may outlive
// this object, and the process ends right after the bench.
EmbeddedPython::~EmbeddedPython() { Py_XDECREF(static_cast<PyObject*>(module_)); }

std::function<void()> EmbeddedPython::save(const std::string& encoding, casblob::ByteView content) {
  PyObject* fn = PyObject_GetAttrString(static_cast<PyObject*>(module_), "save");
  if (!fn) python_failed("pybench.save");
  PyObject* args = Py_BuildValue("(sN)", encoding.c_str(), bytes_of(content));
  if (!args) python_failed("Py_BuildValue");
  return Call{owned(fn), owned(args)};
}

std::function<void()> EmbeddedPython::load(const std::string& encoding, casblob::ByteView stored,
                                           const std::string& key) {
  PyObject* fn = PyObject_GetAttrString(static_cast<PyObject*>(module_), "load");
  if (!fn) python_failed("pybench.load");
  PyObject* args = Py_BuildValue("(sNs)", encoding.c_str(), bytes_of(stored), key.c_str());
  if (!args) python_failed("Py_BuildValue");
  return Call{owned(fn), owned(args)};
}

#else  // built without libpython

bool EmbeddedPython::compiled_in() noexcept { return false; }
EmbeddedPython::EmbeddedPython(const std::string&) : why_not_("casblob_bench was built without libpython") {}
EmbeddedPython::~EmbeddedPython() = default;
std::function<void()> EmbeddedPython::save(const std::string&, casblob::ByteView) { return {}; }
std::function<void()> EmbeddedPython::load(const std::string&, casblob::ByteView, const std::string&) { return {}; }

#endif

}  // namespace bench
