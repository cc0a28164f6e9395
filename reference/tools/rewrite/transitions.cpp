#include "rewrite/transitions.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

#include "casblob/key.hpp"
#include "casblob/reader.hpp"
#include "casblob/writer.hpp"

namespace casblob::rewrite {

std::string_view name(Step s) noexcept {
  switch (s) {
    case Step::fence: return "fence sidecar";
    case Step::payload: return "payload";
    case Step::sidecar: return "sidecar";
  }
  return "?";
}

std::vector<Step> plan_steps(bool payload_changes, bool sidecar_changes, bool through_raw) {
  if (payload_changes && sidecar_changes)
    return through_raw ? std::vector<Step>{Step::fence, Step::payload, Step::sidecar}
                       : std::vector<Step>{Step::payload, Step::sidecar};
  if (payload_changes) return {Step::payload};
  if (sidecar_changes) return {Step::sidecar};
  return {};
}

std::string describe(const BlobState& s) {
  std::string out = s.new_payload ? "new payload + " : "old payload + ";
  switch (s.sidecar) {
    case BlobState::Side::old_sidecar: return out + "old sidecar";
    case BlobState::Side::fence: return out + "fence sidecar";
    case BlobState::Side::new_sidecar: return out + "new sidecar";
  }
  return out;
}

std::vector<BlobState> intermediate_states(const std::vector<Step>& steps) {
  std::vector<BlobState> out;
  BlobState s;
  for (std::size_t i = 0; i + 1 < steps.size(); ++i) {
    switch (steps[i]) {
      case Step::fence: s.sidecar = BlobState::Side::fence; break;
      case Step::payload: s.new_payload = true; break;
      case Step::sidecar: s.sidecar = BlobState::Side::new_sidecar; break;
    }
    out.push_back(s);
  }
  return out;
}

const std::vector<Transition>& all_transitions() {
  static const std::vector<Transition> t = {
      {Form::nosidecar, {Form::v1}},        {Form::nosidecar, {Form::v2}},   {Form::nosidecar, {Form::raw}},
      {Form::v1, {Form::v1}, true},         {Form::v1, {Form::v2}},          {Form::v1, {Form::v2, true}},
      {Form::v1, {Form::raw}},              {Form::v2, {Form::v1}},          {Form::v2, {Form::v2, true}, true},
      {Form::v2, {Form::raw}},              {Form::raw, {Form::v1}},         {Form::raw, {Form::v2}},
  };
  return t;
}

std::string describe(const Transition& t) {
  return std::string(name(t.from)) + " -> " + describe(t.to) + (t.reencode && t.from == t.to.form && !t.to.content_checksum ? " (re-encoded)" : "");
}

std::string cell(const ProfileRead& r) {
  switch (r.outcome) {
    case audit::Outcome::right: return "ok";
    case audit::Outcome::clean_error: return r.error;
    case audit::Outcome::unhandled: return "unhandled";
    case audit::Outcome::wrong_bytes: return "WRONG BYTES";
    case audit::Outcome::not_read: return "-";
  }
  return "?";
}

namespace {

bool container_changes(Form from, Form to) {
  auto c = [](Form f) { return f == Form::nosidecar ? Form::v1 : f; };
  return c(from) != c(to);
}

ProfileRead read_state(ByteView payload, const SidecarText& sidecar, Profile p, const std::string& key) {
  ReadOptions ro;
  ro.profile = p;
  ro.key = key;
  auto d = decode_blob(payload, sidecar, ro);
  ProfileRead r;
  if (!d) {
    r.outcome = d.error().code == Errc::unhandled ? audit::Outcome::unhandled : audit::Outcome::clean_error;
    r.error = std::string(name(d.error().code));
  } else if (d->info.sha1 == key) {
    r.outcome = audit::Outcome::right;
  } else {
    r.outcome = audit::Outcome::wrong_bytes;
    r.sha1 = d->info.sha1.str();
  }
  return r;
}

bool acceptable(const ProfileRead& r, const ProfileRead& same_payload_endpoint, Profile p) {
  if (r.outcome == audit::Outcome::right || r.outcome == audit::Outcome::clean_error) return true;
  return !reads_sidecars(p) && r == same_payload_endpoint;
}

}  // namespace

bool reads_sidecars(Profile p) {
  auto e = select_encoding(canonical_sidecar(Form::raw), p);
  return e && *e == Encoding::raw;
}

bool TransitionProof::holds() const {
  for (const auto& s : intermediate)
    if (!s.violations.empty()) return false;
  return true;
}

TransitionProof prove(const Transition& t, ByteView content, std::optional<std::vector<Step>> steps) {
  TransitionProof out;
  out.transition = t;
  const bool payload_changes = t.reencode || container_changes(t.from, t.to.form) || t.to.content_checksum;
  const SidecarText old_side = canonical_sidecar(t.from), new_side = canonical_sidecar(t.to.form);
  out.steps = steps ? *steps : plan_steps(payload_changes, old_side != new_side, t.from == Form::raw || t.to.form == Form::raw);

  Target from_target{t.from == Form::nosidecar ? Form::v1 : t.from};
  auto old_payload = encode_blob(content, encode_options(from_target));
  auto new_payload = encode_blob(content, encode_options(t.to));
  if (!old_payload || !new_payload) return out;  // no lz4 in this build: nothing to prove
  const std::string key = old_payload->info.key;
  out.key = key;

  auto build = [&](const BlobState& s) {
    StateProof p;
    p.state = s;
    ByteView payload = s.new_payload ? ByteView(new_payload->bytes) : ByteView(old_payload->bytes);
    SidecarText side = s.sidecar == BlobState::Side::old_sidecar ? old_side
                       : s.sidecar == BlobState::Side::fence     ? SidecarText(std::string(kFenceSidecar))
                                                                 : new_side;
    for (Profile pr : kAllProfiles) p.reads.push_back(read_state(payload, side, pr, key));
    p.payload.assign(payload.begin(), payload.end());
    p.sidecar = side;
    return p;
  };
  out.from = build({false, BlobState::Side::old_sidecar});
  out.to = build({true, BlobState::Side::new_sidecar});
  for (const BlobState& s : intermediate_states(out.steps)) {
    StateProof p = build(s);
    const StateProof& endpoint = s.new_payload ? out.to : out.from;
    for (std::size_t i = 0; i < p.reads.size(); ++i)
      if (!acceptable(p.reads[i], endpoint.reads[i], kAllProfiles[i])) p.violations.emplace_back(name(kAllProfiles[i]));
    out.intermediate.push_back(std::move(p));
  }
  return out;
}

Bytes table_sample_content() {
  // The shape of a pickled artifact: protocol header, then text. Deterministic.
  std::string s = "\x80\x04\x95\x2a\x00\x00\x00\x00\x00\x00\x00}";
  for (int i = 0; i < 64; ++i) s += "metaflow artifact " + std::to_string(i) + "; ";
  return Bytes(s.begin(), s.end());
}

std::string transitions_markdown(const std::vector<TransitionProof>& proofs) {
  std::ostringstream md;
  md << "| from -> to | writes, in order | state a crash can leave |";
  for (Profile p : kAllProfiles) md << " `" << name(p) << "` |";
  md << "\n|---|---|---|";
  for (std::size_t i = 0; i < std::size(kAllProfiles); ++i) md << "---|";
  md << "\n";
  for (const auto& pr : proofs) {
    std::string steps;
    for (Step s : pr.steps) steps += (steps.empty() ? "" : ", ") + std::string(name(s));
    auto row = [&](const std::string& first, const std::string& second, const StateProof& s) {
      md << "| " << first << " | " << second << " | " << describe(s.state) << " |";
      for (std::size_t i = 0; i < s.reads.size(); ++i)
        // A reader that ignores sidecars reads only payloads: the state is the endpoint's.
        md << " " << cell(s.reads[i]) << (reads_sidecars(kAllProfiles[i]) ? "" : s.state.new_payload ? " (as after)" : " (as before)") << " |";
      md << "\n";
    };
    const std::string title = describe(pr.transition);
    if (pr.intermediate.empty()) {
      md << "| " << title << " | " << (steps.empty() ? "none" : steps) << " | none: one atomic write |";
      for (const auto& r : pr.to.reads) md << " " << cell(r) << " |";
      md << "\n";
      continue;
    }
    bool first = true;
    for (const auto& s : pr.intermediate) {
      row(first ? title : "", first ? steps : "", s);
      first = false;
    }
  }
  return md.str();
}

std::string transitions_json(const std::vector<TransitionProof>& proofs) {
  auto state_json = [](const StateProof& s) {
    nlohmann::ordered_json j;
    j["state"] = describe(s.state);
    j["new_payload"] = s.state.new_payload;
    j["sidecar"] = s.state.sidecar == BlobState::Side::old_sidecar ? "old"
                   : s.state.sidecar == BlobState::Side::fence     ? "fence"
                                                                   : "new";
    nlohmann::ordered_json reads = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < s.reads.size(); ++i) {
      nlohmann::ordered_json r;
      r["outcome"] = audit::name(s.reads[i].outcome);
      if (!s.reads[i].error.empty()) r["error"] = s.reads[i].error;
      if (!s.reads[i].sha1.empty()) r["sha1"] = s.reads[i].sha1;
      reads[std::string(name(kAllProfiles[i]))] = r;
    }
    j["reads"] = reads;
    j["violations"] = s.violations;
    return j;
  };
  nlohmann::ordered_json all = nlohmann::ordered_json::object();
  all["fence_sidecar"] = std::string(kFenceSidecar);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& pr : proofs) {
    nlohmann::ordered_json j;
    j["from"] = name(pr.transition.from);
    j["to"] = name(pr.transition.to.form);
    j["content_checksum"] = pr.transition.to.content_checksum;
    j["reencode"] = pr.transition.reencode;
    j["old_sidecar"] = canonical_sidecar(pr.transition.from) ? nlohmann::ordered_json(*canonical_sidecar(pr.transition.from)) : nlohmann::ordered_json(nullptr);
    j["new_sidecar"] = *canonical_sidecar(pr.transition.to.form);
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    for (Step s : pr.steps) steps.push_back(name(s));
    j["steps"] = steps;
    j["from_state"] = state_json(pr.from);
    j["to_state"] = state_json(pr.to);
    nlohmann::ordered_json inter = nlohmann::ordered_json::array();
    for (const auto& s : pr.intermediate) inter.push_back(state_json(s));
    j["intermediate"] = inter;
    j["holds"] = pr.holds();
    rows.push_back(j);
  }
  all["transitions"] = rows;
  return all.dump(1) + "\n";
}

}  // namespace casblob::rewrite
