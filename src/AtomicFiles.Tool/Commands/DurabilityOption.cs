using System.CommandLine;

namespace AtomicFiles.Tool.Commands;

/// <summary>The `--durability full|fileonly|none` option every writing verb takes.</summary>
internal static class DurabilityOption
{
    internal static Option<Durability> Create() => new("--durability")
    {
        Description = "full: flush the file and its directory (default); fileonly: the file only; none: atomic against a process crash only.",
        HelpName = "full|fileonly|none",
        DefaultValueFactory = _ => Durability.Full,
        CustomParser = result => result.Tokens[0].Value.ToLowerInvariant() switch
        {
            "full" => Durability.Full,
            "fileonly" => Durability.FileOnly,
            "none" => Durability.None,
            var other => Invalid(result, other),
        },
    };

    private static Durability Invalid(System.CommandLine.Parsing.ArgumentResult result, string value)
    {
        result.AddError($"unknown durability '{value}' (full, fileonly or none).");
        return Durability.Full;
    }
}
