using System.CommandLine;

namespace AtomicFiles.Tool.Commands;

/// <summary>File and directory arguments and options: an empty or blank one is a usage error, reported as such.</summary>
internal static class PathArgument
{
    internal static Option<string?> Option(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = "DIR" };
        option.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && string.IsNullOrWhiteSpace(token.Value))
            {
                result.AddError($"{name} must not be empty.");
            }
        });
        return option;
    }

    internal static Argument<string> Argument(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && string.IsNullOrWhiteSpace(token.Value))
            {
                result.AddError($"{name} must not be empty.");
            }
        });
        return argument;
    }
}
