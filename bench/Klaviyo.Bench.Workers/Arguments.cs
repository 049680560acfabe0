using System.Globalization;

namespace Klaviyo.Bench.Workers;

internal static class Arguments
{
    public static string Get(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public static int Int(string[] args, string name, int fallback) =>
        int.Parse(
            Get(args, name, fallback.ToString(CultureInfo.InvariantCulture)),
            CultureInfo.InvariantCulture
        );

    public static double Double(string[] args, string name, double fallback) =>
        double.Parse(
            Get(args, name, fallback.ToString(CultureInfo.InvariantCulture)),
            CultureInfo.InvariantCulture
        );

    /// <summary><c>10/1s</c>, <c>50/20s</c>, <c>4/100ms</c>.</summary>
    public static Rate Rate(string text)
    {
        var parts = text.Split('/');
        var count = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var window = parts[1].EndsWith("ms")
            ? TimeSpan.FromMilliseconds(double.Parse(parts[1][..^2], CultureInfo.InvariantCulture))
            : TimeSpan.FromSeconds(
                double.Parse(parts[1].TrimEnd('s'), CultureInfo.InvariantCulture)
            );
        return new Rate(count, window);
    }

    public static RateLimitTier Tier(string[] args) =>
        new(Rate(Get(args, "--burst", "10/1s")), Rate(Get(args, "--steady", "50/20s")), null);
}
