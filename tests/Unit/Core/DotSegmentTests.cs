using Xunit;

namespace Klaviyo.Tests;

/// <summary>
/// A path with a <c>.</c> or <c>..</c> segment, plain or percent-encoded, is refused; the span scan agrees with
/// the plain definition (split at '/', read "%2e" as '.', compare) on every tricky spelling.
/// </summary>
public class DotSegmentTests
{
    private static bool ByDefinition(string path)
    {
        foreach (var segment in path.Split('/'))
        {
            var s = segment.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase);
            if (s is "." or "..")
                return true;
        }
        return false;
    }

    [Theory]
    [InlineData("/api/profiles", false)]
    [InlineData("/api/./profiles", true)]
    [InlineData("/api/../profiles", true)]
    [InlineData("/api/.../profiles", false)]
    [InlineData("/api/%2e/profiles", true)]
    [InlineData("/api/%2E%2e/profiles", true)]
    [InlineData("/api/.%2E", true)]
    [InlineData("/api/%2e%2e%2e", false)]
    [InlineData("/api/%2", false)]
    [InlineData("/api/%2f", false)]
    [InlineData("/api/%%2e2e", false)]
    [InlineData("/api/a.b", false)]
    [InlineData(".", true)]
    [InlineData("..", true)]
    [InlineData("", false)]
    [InlineData("/", false)]
    [InlineData("//", false)]
    [InlineData("/api/.", true)]
    [InlineData("/api/..x", false)]
    [InlineData("/api/%2ex", false)]
    public void Dot_segments_are_found_plain_or_percent_encoded(string path, bool expected)
    {
        Assert.Equal(expected, ByDefinition(path));
        Assert.Equal(expected, RequestValidation.HasDotSegment(path));
    }
}
