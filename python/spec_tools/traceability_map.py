"""The requirement -> fixtures/tests map, and the section 12 table of spec/cas-blob-format.md
rendered from it (between the TRACEABILITY markers). Edit the map here, then

  python3 -m spec_tools.traceability_map            rewrite the table (lists cited names not in the manifest)
  python3 -m spec_tools.traceability_map --check    fail if the spec's table is not the map's

(ctest `spec: traceability` runs the --check as part of spec_tools.traceability)."""

from __future__ import annotations

import argparse
import sys

from casblob_fixtures.manifest import load

from spec_tools.blocks import repo_file, update

BEGIN, END = "<!-- BEGIN TRACEABILITY -->", "<!-- END TRACEABILITY -->"
ORDER = ["KEY", "MIG", "META", "RAW", "NS", "W1", "R1", "W2", "R2", "READ", "PROF", "ERR", "SEC", "FWD"]
PUT = "api/put writes <root>/<flow>/data/<kk>/<key> and <key>_meta as Metaflow does"
MATRIX = "conformance: default matrix"
CONTRACT = "contract: the copies of the contract tables agree with the CLI"
ERR_PROPS = "api/every error exits with its own code, never 0 or 1, and exit_code() agrees with the table"


def requirement_map(names: set[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Requirement id -> (fixture names, test names)."""
    t: dict[str, tuple[list[str], list[str]]] = {}

    def r(rid, fixtures="", tests=()):
        t[rid] = (fixtures.split(), list(tests))

    def pref(p):
        return " ".join(sorted(n for n in names if n.startswith(p)))

    r("R-KEY-1", "y_v1_python_level3_small_dict y_v1_python_level3_empty y_v2_python_lz4_default_small_dict n_key_is_sha1_of_compressed_bytes_v1 n_key_is_sha1_of_compressed_bytes_v2 n_key_is_sha256_prefix")
    r("R-KEY-2", "", ["api/get: absent key is not_found, malformed key is usage and touches no path",
                      "api/is_valid_key and key_digest: exactly 40 of [0-9a-f]; any other byte anywhere, or any other length, is not a key"])
    r("R-KEY-3", "y_v1_python_level3_small_dict", [PUT])
    r("R-KEY-4", "n_mismatch_no_sidecar_on_lz4_payload", ["api/a put whose input fails leaves no object and no temporary file", "cli/a put killed by SIGTERM, SIGINT or SIGHUP leaves no temporary file (F12)"])
    r("R-KEY-7", "", ["api/concurrent puts of one new content in two encodings end with a payload and its own sidecar (F3)", "api/AtomicFileSink::commit_to without replace never overwrites, and stays usable"])
    r("R-KEY-8", "", ["api/a re-put heals a payload left without its sidecar (F1, R-KEY-4)"])
    MIG_STATES = "rewrite/every intermediate state of every transition is right bytes or a clean error under every profile (R-MIG-1)"
    MIG_MODEL = "rewrite/every intermediate state read through the Python Metaflow model agrees with the C++ profiles and holds the rule"
    r("R-MIG-1", "", [MIG_STATES, MIG_MODEL, "rewrite: SIGKILL at random moments of migrate --apply"])
    r("R-MIG-2", "n_sidecar_version_zero", ["rewrite/the fence sidecar makes every CAS-era profile fail cleanly without reading the payload (R-MIG-2)", "rewrite/the rule rejects the orders the plan avoids: raw <-> encoded without the fence gives legacy wrong bytes"])
    r("R-MIG-3", "n_mismatch_v1_sidecar_on_lz4_payload n_mismatch_v2_sidecar_on_gzip_payload", [MIG_STATES, "rewrite: every write, fsync and rename of a migrate (failpoint sweep)"])
    r("R-MIG-4", "", ["rewrite: damaged blobs are reported and skipped, byte-identical", "rewrite: v1 -> v2 -> v1 of a generated store", "rewrite: every repair fixes exactly its object and audit then finds nothing of it"])
    r("R-MIG-5", "", ["rewrite: a killed run resumes from its journal"])
    r("R-KEY-5", "n_key_mismatch_v1 n_key_mismatch_v2 n_key_mismatch_raw n_key_mismatch_no_sidecar n_key_mismatch_one_bit_v2 n_bitflip_lz4_default_literal n_bitflip_lz4_default_match_offset n_mismatch_no_sidecar_on_raw_gzip_content")
    r("R-KEY-6", "n_key_mismatch_v1 n_bitflip_lz4_default_literal n_mismatch_raw_sidecar_on_gzip_payload n_empty_file_v1_sidecar")
    r("R-META-1", "y_v1_python_level3_small_dict y_v2_python_lz4_default_small_dict y_raw_v1_small_dict", [PUT])
    r("R-META-2", "y_sidecar_version_1_v1_explicit_false y_v1_python_level3_small_dict", [PUT])
    r("R-META-3", "n_sidecar_utf8_bom n_sidecar_duplicate_version_same n_sidecar_version_float_1_0 n_sidecar_version_string_1")
    r("R-META-4", "n_mismatch_v1_sidecar_on_lz4_payload n_mismatch_v2_sidecar_on_gzip_payload y_raw_v1_small_dict y_raw_v2_small_dict")
    r("R-META-5", "y_nosidecar_python_level3_small_dict n_sidecar_null n_sidecar_empty_file", [PUT])
    r("R-META-6", "n_sidecar_not_json n_sidecar_truncated_json n_sidecar_single_quotes n_sidecar_trailing_comma n_sidecar_trailing_garbage n_sidecar_two_objects n_sidecar_trailing_nul n_sidecar_empty_file n_sidecar_whitespace_only n_empty_file_empty_sidecar n_sidecar_list n_sidecar_list_empty n_sidecar_string n_sidecar_string_empty n_sidecar_number n_sidecar_number_zero n_sidecar_true n_sidecar_false n_sidecar_utf8_bom n_sidecar_bad_utf8 n_sidecar_bad_utf8_overlong n_sidecar_utf16le n_sidecar_utf16_bom n_sidecar_duplicate_version_1_then_2 n_sidecar_duplicate_version_2_then_1 n_sidecar_duplicate_version_same n_sidecar_duplicate_raw_true_then_false n_sidecar_duplicate_raw_false_then_true n_sidecar_duplicate_via_escape n_sidecar_version_nan n_sidecar_version_infinity n_sidecar_version_minus_infinity n_sidecar_version_leading_zero n_sidecar_version_plus_sign n_sidecar_version_hex i_sidecar_lone_surrogate_escape y_sidecar_pretty_printed y_sidecar_whitespace_everywhere y_sidecar_crlf y_sidecar_compact y_sidecar_key_order_swapped y_sidecar_escaped_member_name")
    r("R-META-7", "n_sidecar_raw_string_false n_sidecar_raw_string_empty n_sidecar_raw_number_0 n_sidecar_raw_number_1 n_sidecar_raw_null n_sidecar_raw_list n_sidecar_raw_list_empty n_sidecar_raw_object n_sidecar_raw_string_true_on_lz4 y_sidecar_without_cas_raw y_sidecar_without_cas_raw_v2")
    r("R-META-8", "n_sidecar_object_empty n_sidecar_only_cas_raw n_sidecar_version_key_misspelled n_sidecar_version_key_case n_raw_without_version n_sidecar_version_string_1 n_sidecar_version_string_2_on_lz4 n_sidecar_version_float_1_0 n_sidecar_version_float_1_9 n_sidecar_version_float_2_0_on_lz4 n_sidecar_version_float_2_5_on_lz4 n_sidecar_version_float_0_5 n_sidecar_version_exponent_1e0 n_sidecar_version_exponent_1e400 n_sidecar_version_true n_sidecar_version_false n_sidecar_version_null n_sidecar_version_list n_sidecar_version_object n_sidecar_version_zero n_sidecar_version_minus_1 n_sidecar_version_minus_2 n_raw_version_zero n_raw_version_string n_raw_version_minus_1 n_sidecar_version_2pow64 n_sidecar_version_huge")
    r("R-META-9", "y_sidecar_extra_keys y_sidecar_extra_keys_v2 y_sidecar_utf8_in_unknown_member n_future_v3_zstd_with_codec_hint")
    r("R-META-10", "n_sidecar_null n_sidecar_null_on_lz4")
    r("R-META-11", "", ["s3/put and get on s3://: one PUT carries payload and sidecar; get reads it back under every profile",
                        "s3/write_sidecar is a REPLACE copy that keeps the payload; its content type and other metadata",
                        "test_boto3_reads_what_casblob_writes"])
    r("R-META-12", "", ["test_metadata_that_is_not_a_sidecar", "test_put_many_bug_blob_without_metadata_reads_as_gzip",
                        "s3/a sidecar lost by a REPLACE copy: get falls back to gzip as Metaflow does; put heals it from the key"])
    r("R-RAW-1", "y_raw_v1_small_dict y_raw_v2_small_dict y_raw_v1_empty y_raw_v2_empty y_raw_v1_random_4k y_raw_v2_text_16k")
    r("R-RAW-2", "y_raw_v1_content_is_gzip y_raw_v1_content_is_lz4_frame y_raw_v2_content_is_lz4_frame y_raw_v3_small_dict y_raw_v99_future_version n_mismatch_raw_sidecar_on_gzip_payload n_mismatch_raw_sidecar_on_lz4_payload n_key_mismatch_raw n_limit_one_over_max_size_raw n_empty_file_raw_v1_sidecar_wrong_key n_empty_file_raw_v2_sidecar_wrong_key")
    r("R-NS-1", "", [PUT, MATRIX])
    r("R-NS-2", pref("y_nosidecar_") + " y_gzip_two_members_no_sidecar n_mismatch_no_sidecar_on_lz4_payload n_mismatch_no_sidecar_on_lz4_cli_payload n_mismatch_no_sidecar_on_skippable_frame n_empty_file_no_sidecar n_empty_file_no_sidecar_empty_key n_trunc_gzip_deflate_half_no_sidecar n_checksum_gzip_crc32_wrong_no_sidecar n_limit_gzip_bomb_no_sidecar n_mismatch_no_sidecar_on_zstd n_mismatch_no_sidecar_on_raw_payload")
    r("R-NS-3", "n_mismatch_no_sidecar_on_lz4_payload n_mismatch_no_sidecar_on_raw_lz4_content n_mismatch_no_sidecar_on_raw_gzip_content")
    r("R-W1-1", "y_v1_python_level3_small_dict y_v1_python_level3_metrics_dict y_v1_python_level3_empty y_v1_python_level3_float64_smooth_4mib", [MATRIX])
    r("R-W1-2", "y_v1_python_level3_small_dict n_gzip_reserved_flag_bit5", [MATRIX])
    r("R-W1-3", "y_v1_python_level3_small_dict y_nosidecar_python_fname_mtime_small_dict", [MATRIX])
    r("R-W1-4", "y_v1_python_level3_small_dict y_v1_python_level9_text_16k y_v1_python_level1_text_16k y_gzip_os_unix_xfl_odd")
    r("R-R1-1", "n_gzip_cm_7 n_gzip_cm_0 n_gzip_reserved_flag_bit5 n_gzip_reserved_flag_bit6 n_gzip_reserved_flag_bit7 n_gzip_reserved_flag_bits_all n_bitflip_gzip_cm y_gzip_ftext y_gzip_os_unix_xfl_odd y_bitflip_gzip_mtime y_bitflip_gzip_xfl y_bitflip_gzip_os")
    r("R-R1-2", "y_gzip_fextra y_gzip_fextra_empty y_gzip_fname y_gzip_fname_latin1 y_gzip_fcomment y_gzip_all_optional_fields y_v1_gzip_cli_level3_with_name n_bitflip_gzip_flg_fname n_bitflip_gzip_flg_fcomment n_bitflip_gzip_flg_fextra")
    r("R-R1-3", "y_gzip_fhcrc_valid n_gzip_fhcrc_bad n_gzip_fhcrc_bad_with_fname n_bitflip_gzip_flg_fhcrc")
    r("R-R1-4", "n_gzip_deflate_reserved_block_type n_gzip_deflate_stored_len_nlen_mismatch n_bitflip_gzip_deflate_gives_data y_gzip_deflate_stored_block_handmade y_gzip_deflate_fixed_huffman_empty_then_stored")
    r("R-R1-5", "n_checksum_gzip_crc32_bit_flipped n_checksum_gzip_crc32_zero n_checksum_gzip_isize_plus_1 n_checksum_gzip_isize_zero n_checksum_gzip_crc32_and_isize_wrong n_checksum_gzip_second_member_crc32 n_checksum_gzip_empty_content_isize_1 n_bitflip_gzip_crc32 n_bitflip_gzip_isize n_bitflip_gzip_deflate_gives_checksum")
    r("R-R1-6", pref("n_trunc_gzip_") + " n_bitflip_gzip_deflate_gives_truncated n_gzip_trailing_magic_only")
    r("R-R1-7", "y_gzip_two_members y_gzip_three_members_one_empty y_gzip_many_small_members y_gzip_second_member_different_header y_gzip_zero_padding_1 y_gzip_zero_padding_512 i_gzip_zero_padding_between_members n_gzip_trailing_garbage n_gzip_trailing_one_byte n_gzip_trailing_after_padding n_gzip_trailing_magic_only n_gzip_trailing_newline n_gzip_trailing_zstd_frame n_mismatch_v1_sidecar_on_gzip_then_lz4")
    r("R-R1-8", "y_v1_python_level3_empty y_gzip_three_members_one_empty y_nosidecar_python_level3_empty_content n_checksum_gzip_empty_content_isize_1")
    r("R-W2-1", "y_v2_python_lz4_default_small_dict y_v2_python_lz4_default_text_64k_plus_1 y_v2_python_lz4_default_float64_smooth_4mib", [MATRIX])
    r("R-W2-2", "y_v2_python_lz4_default_small_dict y_v2_python_lz4_block_size_64kb y_v2_python_lz4_block_size_256kb y_v2_python_lz4_block_size_1mb y_v2_python_lz4_block_size_4mb", [MATRIX])
    r("R-W2-3", "y_v2_python_lz4_default_small_dict y_v2_python_lz4_default_empty y_v2_python_lz4_no_content_size")
    r("R-W2-4", "y_v2_python_lz4_content_checksum y_v2_lz4_cli_default_small_dict n_bitflip_lz4_content_checksum_literal n_bitflip_lz4_default_literal")
    r("R-R2-1", "n_lz4_version_00 n_lz4_version_11 n_lz4_flg_reserved_bit1 n_lz4_bd_reserved_bit7 n_lz4_bd_reserved_low_bits n_lz4_block_max_id_0 n_lz4_block_max_id_3 n_lz4_dict_id_present n_checksum_lz4_header_checksum_wrong n_checksum_lz4_header_checksum_wrong_cli n_bitflip_lz4_content_size_field n_bitflip_lz4_flg_content_checksum_bit")
    r("R-R2-2", "n_lz4_uncompressed_block_larger_than_max n_lz4_compressed_block_expands_past_max n_lz4_block_invalid_offset_zero n_lz4_block_offset_before_start n_lz4_linked_blocks_marked_independent n_bitflip_lz4_default_block_undecodable")
    r("R-R2-3", "y_v2_python_lz4_linked_blocks_explicit y_v2_python_lz4_independent_blocks y_lz4_linked_flag_on_independent_blocks y_v2_lz4_cli_block_dependent_64kb y_v2_python_lz4_default_text_64k_plus_1 n_lz4_linked_blocks_marked_independent")
    r("R-R2-4", "y_v2_python_lz4_block_checksum y_v2_python_lz4_both_checksums y_v2_handcrafted_all_checksums_4mb_blocks n_checksum_lz4_block_checksum_wrong_first n_checksum_lz4_block_checksum_wrong_last n_checksum_lz4_content_checksum_wrong n_checksum_lz4_content_checksum_wrong_cli n_bitflip_lz4_content_checksum_literal n_bitflip_lz4_block_checksum_literal")
    r("R-R2-5", "n_checksum_lz4_content_size_plus_1 n_checksum_lz4_content_size_minus_1 n_checksum_lz4_content_size_zero n_checksum_lz4_content_size_2gib n_checksum_lz4_content_size_plus_1_multiblock n_bitflip_lz4_default_uncompressed_bit")
    r("R-R2-6", pref("n_trunc_lz4_") + " n_bitflip_lz4_end_mark i_lz4_uncompressed_block_length_zero")
    r("R-R2-7", "y_lz4_two_frames_concatenated y_lz4_three_frames_mixed_options y_lz4_empty_frame_then_frame y_lz4_skippable_first y_lz4_skippable_middle y_lz4_skippable_last y_lz4_skippable_empty_first n_lz4_skippable_size_past_end n_trunc_lz4_second_frame_half")
    r("R-R2-8", "i_lz4_skippable_only")
    r("R-R2-9", "n_lz4_trailing_garbage n_lz4_trailing_zero_bytes n_lz4_trailing_newline n_lz4_trailing_gzip_member n_lz4_trailing_legacy_frame")
    r("R-READ-1", "n_sidecar_only_cas_raw n_raw_without_version n_sidecar_raw_string_true_on_lz4 n_checksum_gzip_crc32_and_isize_wrong n_future_v2_sidecar_v3_payload_lz4 n_mismatch_v1_sidecar_on_gzip_then_lz4 n_limit_gzip_bomb_multi_member")
    r("R-READ-2", "n_sidecar_version_3 n_sidecar_version_2pow31 n_sidecar_version_2pow64 n_sidecar_version_huge n_future_v99_zstd n_future_v3_zstd_with_codec_hint n_future_v99_gzip_payload")
    r("R-READ-3", "y_v2_python_lz4_default_small_dict n_empty_file_v2_sidecar", ["api/every reader error name is reachable and named"])
    r("R-READ-4", "n_mismatch_v1_sidecar_on_lz4_payload n_mismatch_v1_sidecar_on_lz4_cli_payload n_mismatch_v1_sidecar_on_skippable_frame n_mismatch_v2_sidecar_on_gzip_payload n_mismatch_v2_sidecar_on_gzip_cli_payload n_mismatch_v1_sidecar_on_raw_payload n_mismatch_v2_sidecar_on_raw_payload n_mismatch_v1_sidecar_on_legacy_lz4 n_lz4_legacy_format n_mismatch_v1_sidecar_on_zstd n_mismatch_v2_sidecar_on_zstd n_bitflip_gzip_magic_byte0 n_bitflip_gzip_magic_byte1 n_bitflip_lz4_magic n_empty_file_v1_sidecar n_empty_file_v2_sidecar n_empty_file_no_sidecar n_empty_file_v1_sidecar_empty_key n_empty_file_v2_sidecar_empty_key n_trunc_lz4_magic_2_bytes n_future_v2_sidecar_v3_payload_lz4")
    r("R-READ-5", pref("n_limit_") + " " + pref("y_limit_"))
    r("R-READ-6", "n_checksum_gzip_crc32_bit_flipped n_checksum_lz4_content_checksum_wrong n_key_mismatch_v2", ["api/strict never hands back bytes the real readers get wrong"])
    r("R-PROF-1", "y_v1_python_level3_small_dict i_sidecar_lone_surrogate_escape", [MATRIX])
    r("R-PROF-2", "n_sidecar_raw_string_false y_lz4_two_frames_concatenated", ["fixtures: generate --check", MATRIX])
    r("R-PROF-3", "y_v2_python_lz4_default_small_dict n_empty_file_v2_sidecar")
    r("R-ERR-1", "n_sidecar_not_json n_sidecar_object_empty n_sidecar_version_3 n_gzip_cm_7 n_mismatch_v1_sidecar_on_lz4_payload n_key_mismatch_v1 n_limit_gzip_bomb_16mib_zeros", ["api/every reader error name is reachable and named"])
    r("R-ERR-2", "", [ERR_PROPS, CONTRACT])
    r("R-SEC-1", " ".join(n for n in pref("n_limit_").split() if "bomb" in n))
    r("R-SEC-2", "n_checksum_lz4_content_size_2gib", ["api/a 1 GiB v2 blob streams through strict in bounded memory"])
    r("R-SEC-3", "n_sidecar_version_nan n_sidecar_list n_sidecar_bad_utf8 n_bitflip_lz4_default_block_undecodable n_lz4_block_offset_before_start", [MATRIX])
    r("R-SEC-4", "", ["api/flow names are Python identifiers: anything else is usage before a path exists (F5)", "cli/put: flow names that are not identifiers never reach the filesystem (F5)"])
    r("R-SEC-5", "", ["api/a symbolic link inside the store is refused for reads and writes (spec 10.3)"])
    r("R-SEC-6", "", ["api/FileSource refuses FIFOs, devices and directories before reading (F7)", "api/sidecars: bounded, regular files only, absent means absent (F6, F7, spec 10.2)", "api/a FIFO as a blob is refused at once, never read (F7)"])
    r("R-SEC-7", "", ["cli/output that cannot be written is io_error, never exit 0 (F4)"])
    r("R-SEC-8", "y_sidecar_nested_512 n_sidecar_nested_513 n_sidecar_nested_2000", ["api/deep sidecar nesting: Python's RecursionError boundary, strict's bound (F14)"])
    r("R-FWD-1", "n_sidecar_version_3 n_sidecar_version_float_2_5_on_lz4 n_future_v99_zstd")
    r("R-FWD-2", "n_future_v99_zstd n_future_v99_gzip_payload n_future_v3_zstd_with_codec_hint y_raw_v99_future_version y_raw_v3_small_dict")
    r("R-FWD-3", "n_mismatch_no_sidecar_on_zstd n_mismatch_v1_sidecar_on_zstd n_mismatch_no_sidecar_on_lz4_payload")
    r("R-FWD-4", "y_v2_python_lz4_default_small_dict")
    r("R-FWD-5", "n_mismatch_no_sidecar_on_raw_gzip_content n_mismatch_no_sidecar_on_raw_lz4_content")
    r("R-FWD-6", "n_future_v99_zstd n_future_v2_sidecar_v3_payload_lz4", ["spec: traceability"])
    r("R-FWD-7", "", ["conformance: gate on fake Metaflow generations"])
    return t


def render(names: set[str]) -> str:
    t = requirement_map(names)
    rows = sorted(t, key=lambda k: (ORDER.index(k.split("-")[1]), int(k.split("-")[2])))
    lines = [BEGIN, "| Requirement | Exercised by |", "|---|---|"]
    for k in rows:
        fx, ts = t[k]
        cell = ", ".join("`%s`" % f for f in fx)
        if ts:
            cell += ("; " if cell else "") + "; ".join("*test* `%s`" % x for x in ts)
        lines.append("| %s | %s |" % (k, cell))
    return "\n".join(lines + [END])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="spec_tools.traceability_map", description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args(argv)
    names = {c.name for c in load(str(repo_file("fixtures"))).cases}
    missing = sorted({f for fx, _ in requirement_map(names).values() for f in fx} - names)
    if missing:
        print("cited but not in the manifest: %s" % " ".join(missing))
    rc = update(repo_file("spec", "cas-blob-format.md"), BEGIN, END, render(names), check=a.check,
                what="the traceability table (section 12)", fix="python3 -m spec_tools.traceability_map")
    return 1 if missing else rc


if __name__ == "__main__":
    sys.exit(main())
