namespace AtomicFiles;

/// <summary>
/// Deliberate protocol defects, reachable only from the test assemblies. The power-loss and fault tests run the
/// library with each one to prove that they would catch the defect.
/// </summary>
[Flags]
internal enum CommitMutation
{
    None = 0,
    SkipFileFlush = 1,
    SkipDirectoryFlush = 2,
    RenameBeforeFileFlush = 4,
}
