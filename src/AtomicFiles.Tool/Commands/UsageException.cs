namespace AtomicFiles.Tool.Commands;

/// <summary>The command line is wrong in a way the parser cannot see (e.g. a directory's parent is missing); exit 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
