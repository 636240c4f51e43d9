namespace AtomicFiles.Tool.Torture;

/// <summary>
/// How a torture writer puts content on disk: the library (<see cref="LibraryCommitter"/>), or, in the test suite, a
/// deliberately naive control that the same harness must catch.
/// </summary>
internal interface ITortureCommitter
{
    /// <summary>Replaces or creates <paramref name="path"/>, by <see cref="CommitMethod.Create"/> or <see cref="CommitMethod.WriteAllBytes"/>; returns once committed.</summary>
    void Replace(string path, byte[] content, CommitMethod method);

    /// <summary>Creates <paramref name="path"/>, which must not exist; returns once committed.</summary>
    void CreateNew(string path, byte[] content);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="transform"/> of its current content (null if absent); returns once committed.</summary>
    void Update(string path, Func<byte[]?, byte[]> transform);

    /// <summary>
    /// Replaces every file of <paramref name="paths"/> (all under <paramref name="root"/>) with <paramref name="next"/>
    /// of their current contents (null for an absent file), all or nothing; returns once committed.
    /// </summary>
    void CommitTransaction(string root, IReadOnlyList<string> paths, Func<IReadOnlyList<byte[]?>, byte[]> next);
}
