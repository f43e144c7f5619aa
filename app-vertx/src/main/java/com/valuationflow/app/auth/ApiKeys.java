package com.valuationflow.app.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Static API keys, known only by their SHA-256 hashes. A presented key is hashed and compared with
 * every configured hash in constant time ({@link MessageDigest#isEqual}), all of them every time,
 * so that neither the comparison nor the number of comparisons tells how close a guess came. The
 * hash is unsalted: keys must be long random strings (32 random bytes), not passwords.
 */
public final class ApiKeys {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");

  /** One client's key: its name (for logs), the SHA-256 of the key, what it may do. */
  record Entry(String name, byte[] sha256, Set<Permission> permissions) {
    Entry {
      Objects.requireNonNull(name, "'name' must not be null");
      sha256 = sha256.clone();
      permissions = Set.copyOf(permissions);
    }
  }

  private final List<Entry> entries;

  private ApiKeys(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Parses {@code name:permissions:sha256-hex} entries separated by commas or spaces, the
   * permissions {@code read}, {@code submit} or both joined by {@code +}: {@code
   * intake:read+submit:9f86d0...,dashboard:read:60303a...}. Names and hashes must be unique.
   *
   * @throws IllegalArgumentException naming the entry by its position and name, never its hash
   */
  public static ApiKeys parse(String text) {
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    int position = 0;
    for (String entry : SEPARATORS.split(text.strip())) {
      if (entry.isEmpty()) {
        continue;
      }
      position++;
      String[] parts = entry.split(":", -1);
      if (parts.length != 3) {
        throw new IllegalArgumentException(
            "entry " + position + " must be name:permissions:sha256-hex");
      }
      String name = parts[0];
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "entry " + position + ": the name must be 1 to 64 letters, digits, '.', '_' or '-'");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException("the name '" + name + "' is used twice");
      }
      Set<Permission> permissions = EnumSet.noneOf(Permission.class);
      for (String permission : parts[1].split("\\+", -1)) {
        try {
          permissions.add(Permission.fromSettingName(permission));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("key '" + name + "': " + e.getMessage(), e);
        }
      }
      if (!HASH.matcher(parts[2]).matches()) {
        throw new IllegalArgumentException(
            "key '" + name + "': the hash must be 64 hex digits (the key's SHA-256)");
      }
      if (!hashes.add(parts[2].toLowerCase(java.util.Locale.ROOT))) {
        throw new IllegalArgumentException("key '" + name + "' has the hash of another key");
      }
      entries.add(new Entry(name, HexFormat.of().parseHex(parts[2]), permissions));
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("must name at least one key");
    }
    return new ApiKeys(entries);
  }

  /** The caller whose key this is, if any. */
  public Optional<Caller> match(String presentedKey) {
    byte[] presented = sha256(presentedKey);
    Entry matched = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.sha256(), presented) && matched == null) {
        matched = entry;
      }
    }
    return matched == null
        ? Optional.empty()
        : Optional.of(new Caller(matched.name(), matched.permissions()));
  }

  /** The clients' names, for the start-up log. */
  public List<String> names() {
    return entries.stream().map(Entry::name).toList();
  }

  /** The lowercase hex SHA-256 of a key's UTF-8 bytes, as {@code sha256sum} prints it. */
  public static String hash(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "ApiKeys" + names();
  }
}
