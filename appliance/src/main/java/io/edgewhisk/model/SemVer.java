package io.edgewhisk.model;

/** An entity's version, {@code 0.0.1} on create, patch bumped on each update. */
public record SemVer(int major, int minor, int patch) {
  public static final SemVer INITIAL = new SemVer(0, 0, 1);

  public SemVer bumpPatch() {
    return new SemVer(major, minor, patch + 1);
  }

  public static SemVer parse(String s) {
    String[] p = s.split("\\.");
    if (p.length != 3) {
      throw WhiskException.badRequest("The version is not valid: '" + s + "'.");
    }
    try {
      return new SemVer(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
    } catch (NumberFormatException e) {
      throw WhiskException.badRequest("The version is not valid: '" + s + "'.");
    }
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
