using System.CommandLine;
using System.Globalization;

namespace Klaviyo.Cli;

/// <summary>
/// Numeric options that say what they expected in the tool's own words (<c>--timeout: 'abc' is not a number of
/// seconds</c>) instead of the parser's, which names .NET types.
/// </summary>
internal static class NumberOptions
{
    /// <summary>An option taking a whole number.</summary>
    /// <param name="name">The option, e.g. <c>--max-pages</c>.</param>
    /// <param name="what">What it counts, e.g. <c>a whole number of pages</c>.</param>
    public static Option<int?> Whole(string name, string what)
    {
        var option = new Option<int?>(name);
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (
                int.TryParse(
                    text,
                    NumberStyles.AllowLeadingSign,
                    CultureInfo.InvariantCulture,
                    out var value
                )
            )
                return value;
            result.AddError($"{name}: '{text}' is not {what}");
            return null;
        };
        return option;
    }

    /// <summary>An option taking a number of seconds (fractions allowed, e.g. <c>0.5</c>).</summary>
    /// <param name="name">The option, e.g. <c>--timeout</c>.</param>
    public static Option<double?> Seconds(string name) => Number(name, "a number of seconds");

    /// <summary>An option taking a number (fractions allowed, e.g. <c>0.5</c>).</summary>
    /// <param name="name">The option, e.g. <c>--redis-margin</c>.</param>
    /// <param name="what">What it measures, e.g. <c>a fraction such as 0.05</c>.</param>
    public static Option<double?> Number(string name, string what)
    {
        var option = new Option<double?>(name);
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (
                double.TryParse(
                    text,
                    NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                    CultureInfo.InvariantCulture,
                    out var value
                ) && double.IsFinite(value)
            )
                return value;
            result.AddError($"{name}: '{text}' is not {what}");
            return null;
        };
        return option;
    }
}
