package io.sluice.jdbc;

import io.sluice.domain.ContentPart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A message's content parts as the rows of the {@code content_parts} column's JSON: one map per part, by kind. */
final class ContentPartsColumn {
    private ContentPartsColumn() {}

    static List<Map<String, String>> rows(List<ContentPart> parts) {
        List<Map<String, String>> rows = new ArrayList<>(parts.size());
        for (ContentPart part : parts) {
            Map<String, String> row = new LinkedHashMap<>();
            switch (part) {
                case ContentPart.Text t -> put(row, "text", "text", t.text());
                case ContentPart.Image i -> {
                    put(row, "image", "url", i.url());
                    if (i.detail() != null) row.put("detail", i.detail());
                }
                case ContentPart.Audio a -> {
                    put(row, "audio", "data", a.data());
                    row.put("format", a.format());
                }
                case ContentPart.File f -> {
                    row.put("kind", "file");
                    if (f.fileId() != null) row.put("file_id", f.fileId());
                    if (f.fileData() != null) row.put("file_data", f.fileData());
                    if (f.filename() != null) row.put("filename", f.filename());
                }
            }
            rows.add(row);
        }
        return rows;
    }

    static List<ContentPart> parts(List<Map<String, String>> rows) {
        List<ContentPart> parts = new ArrayList<>(rows.size());
        for (Map<String, String> row : rows) {
            parts.add(switch (row.get("kind")) {
                case "text" -> new ContentPart.Text(row.get("text"));
                case "image" -> new ContentPart.Image(row.get("url"), row.get("detail"));
                case "audio" -> new ContentPart.Audio(row.get("data"), row.get("format"));
                case "file" -> new ContentPart.File(row.get("file_id"), row.get("file_data"), row.get("filename"));
                default -> throw new IllegalStateException("unknown content part in store");
            });
        }
        return parts;
    }

    private static void put(Map<String, String> row, String kind, String field, String value) {
        row.put("kind", kind);
        row.put(field, value);
    }
}
