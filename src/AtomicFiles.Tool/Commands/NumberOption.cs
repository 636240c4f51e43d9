using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace AtomicFiles.Tool.Commands;

/// <summary>
/// Numeric options parsed with the invariant culture and checked against their range, so a bad value is a one-line
/// usage error naming the option — never an overflow, NaN or infinity reaching the code.
/// </summary>
internal static class NumberOption
{
    /// <summary>A whole number in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    internal static Option<T> Whole<T>(string name, T minimum, T maximum, T defaultValue, string description)
        where T : struct, IBinaryInteger<T> => new(name)
        {
            Description = $"{description} ({minimum}-{maximum}, default {defaultValue})",
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
                T.TryParse(result.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
                    ? value
                    : Invalid(result, name, $"a whole number from {minimum} to {maximum}", defaultValue),
        };

    /// <summary>A finite number of seconds above 0 and at most <paramref name="maximum"/>.</summary>
    internal static Option<double> Seconds(string name, double maximum, double defaultValue, string description) => new(name)
    {
        Description = $"{description} (above 0, at most {maximum.ToString(CultureInfo.InvariantCulture)}, default {defaultValue.ToString(CultureInfo.InvariantCulture)})",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
            double.TryParse(result.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0 && value <= maximum
                ? value
                : Invalid(result, name, $"a number of seconds above 0 and at most {maximum.ToString(CultureInfo.InvariantCulture)}", defaultValue),
    };

    private static T Invalid<T>(ArgumentResult result, string name, string expected, T placeholder)
    {
        result.AddError($"{name} needs {expected}, not '{result.Tokens[0].Value}'.");
        return placeholder;
    }
}
