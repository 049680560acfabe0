namespace Klaviyo.Cli;

/// <summary>"Did you mean …?" for mistyped names: the candidates nearest by edit distance.</summary>
internal static class Suggestions
{
    /// <summary>
    /// The candidates within a small edit distance of <paramref name="name"/> (case-insensitive), nearest first, at
    /// most <paramref name="limit"/>.
    /// </summary>
    /// <param name="name">What was typed.</param>
    /// <param name="candidates">The valid names.</param>
    /// <param name="limit">How many to return at most.</param>
    public static IReadOnlyList<string> Nearest(
        string name,
        IEnumerable<string> candidates,
        int limit = 3
    )
    {
        var lowered = name.ToLowerInvariant();
        var threshold = Math.Max(2, name.Length / 3);
        return candidates
            .Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Distance: Distance(lowered, c.ToLowerInvariant())))
            .Where(c => c.Distance <= threshold)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(limit)
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary><c> (did you mean a, b?)</c> when there is anything to suggest, else empty.</summary>
    /// <param name="name">What was typed.</param>
    /// <param name="candidates">The valid names.</param>
    public static string DidYouMean(string name, IEnumerable<string> candidates)
    {
        var nearest = Nearest(name, candidates);
        return nearest.Count == 0 ? "" : $" (did you mean {string.Join(", ", nearest)}?)";
    }

    // Levenshtein distance with two rows.
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(
                    Math.Min(current[j - 1] + 1, previous[j] + 1),
                    previous[j - 1] + cost
                );
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
