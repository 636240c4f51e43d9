namespace AtomicFiles.Tool.Commands;

/// <summary>The command line is wrong; the tool prints the message and the command's usage, and exits with 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
