package com.valuationflow.app.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON documents as the fuzzer builds them: objects may repeat a name, and {@link Raw} puts bytes
 * in verbatim (odd numbers, broken tokens, invalid UTF-8). Values are {@link Obj}, {@link List},
 * {@link String}, {@link Raw}, {@link Boolean} or {@code null}.
 */
final class JsonDoc {

  private JsonDoc() {}

  /** An object whose members a mutation may change, repeat or drop. */
  record Obj(List<Member> members) {}

  record Member(String name, Object value) {}

  /** Bytes written as they are. */
  record Raw(byte[] bytes) {
    static Raw of(String text) {
      return new Raw(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** An object of alternating names and values. */
  static Obj obj(Object... namesAndValues) {
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      members.add(new Member((String) namesAndValues[i], namesAndValues[i + 1]));
    }
    return new Obj(members);
  }

  static byte[] bytes(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(value, out);
    return out.toByteArray();
  }

  static String text(Object value) {
    return new String(bytes(value), StandardCharsets.UTF_8);
  }

  private static void write(Object value, ByteArrayOutputStream out) {
    if (value == null) {
      out.writeBytes(new byte[] {'n', 'u', 'l', 'l'});
    } else if (value instanceof Raw raw) {
      out.writeBytes(raw.bytes());
    } else if (value instanceof String string) {
      writeString(string, out);
    } else if (value instanceof Boolean bool) {
      out.writeBytes(bool.toString().getBytes(StandardCharsets.US_ASCII));
    } else if (value instanceof Obj obj) {
      out.write('{');
      for (int i = 0; i < obj.members().size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        writeString(obj.members().get(i).name(), out);
        out.write(':');
        write(obj.members().get(i).value(), out);
      }
      out.write('}');
    } else if (value instanceof List<?> list) {
      out.write('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        write(list.get(i), out);
      }
      out.write(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass());
    }
  }

  /** Escapes quotes, backslashes, control characters and surrogates; the rest goes as UTF-8. */
  private static void writeString(String text, ByteArrayOutputStream out) {
    StringBuilder json = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    out.writeBytes(json.append('"').toString().getBytes(StandardCharsets.UTF_8));
  }
}
