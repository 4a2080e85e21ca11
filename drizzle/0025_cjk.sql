-- Keyword search in Chinese, Japanese and Korean: words there are not separated by spaces, so a run of such characters
-- is also indexed as its overlapping pairs ("一番搾り" → "一番 番搾 搾り"); a query word in these scripts is looked for as
-- the phrase of its pairs (src/search/cjk.ts). Kana, CJK ideographs (with extension A and compatibility) and Hangul.
CREATE OR REPLACE FUNCTION shoebox_cjk_bigrams(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(
    CASE WHEN length(m[1]) = 1 THEN m[1]
    ELSE (SELECT string_agg(substr(m[1], i, 2), ' ' ORDER BY i) FROM generate_series(1, length(m[1]) - 1) i) END, ' '), '')
  FROM regexp_matches(coalesce(t, ''), '([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+)', 'g') AS m
$$;
