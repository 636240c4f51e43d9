namespace AtomicFiles.Tool.Commands;

/// <summary>One verb of the tool.</summary>
internal interface ICommand
{
    string Name { get; }

    /// <summary>The verb with its arguments, as the help shows it.</summary>
    string Usage { get; }

    string Summary { get; }

    /// <summary>Left out of the help: a mode the tool starts itself in, or the test suite does.</summary>
    bool IsHidden => false;

    /// <returns>The process exit code.</returns>
    /// <exception cref="UsageException">The arguments are wrong.</exception>
    int Run(string[] args);
}
