using AtomicFiles.Tool;

namespace AtomicFiles.TestTool;

/// <summary>Runs a test verb with the tool's error conventions: one line on stderr, exit 2 for usage, 1 for failure.</summary>
internal static class TestVerb
{
    internal static int Run(string name, Func<int> verb)
    {
        try
        {
            return verb();
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"{CommandLine.Name} {name}: {e.Message}");
            return CommandLine.Usage;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"{CommandLine.Name} {name}: {e.Message.ReplaceLineEndings(" ")}");
            return CommandLine.Failure;
        }
    }
}

/// <summary>A test verb's arguments are wrong.</summary>
internal sealed class UsageException(string message) : Exception(message);
