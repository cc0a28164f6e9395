// Reader options shared by the lz4 codec and its CASBLOB_WITH_LZ4=OFF stand-in, so that both
// builds describe python-lz4 the same way (spec Appendix A.2).
#include "casblob/experimental/lz4_frame.hpp"

namespace casblob {

Lz4ReadOptions Lz4ReadOptions::python_compatible() {
  Lz4ReadOptions o;
  o.multi_frame = false;
  o.skip_skippable = false;
  o.ignore_trailing_data = true;
  o.reject_dict_id = false;
  o.content_size_zero_is_unknown = true;
  return o;
}

}  // namespace casblob
