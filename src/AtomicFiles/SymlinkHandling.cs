namespace AtomicFiles;

/// <summary>What a write does when the path it is given is a symbolic link.</summary>
public enum SymlinkHandling
{
    /// <summary>
    /// The default. Writes to the link's final target (following chains of links), so the link keeps pointing at the
    /// new content. A dangling link's target is created.
    /// </summary>
    FollowToTarget = 0,

    /// <summary>Replaces the link itself with a regular file; the file the link pointed to is left untouched.</summary>
    ReplaceLink = 1,
}
