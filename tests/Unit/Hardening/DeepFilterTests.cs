using System.Runtime.ExceptionServices;
using Xunit;

namespace Klaviyo.Tests.Hardening;

/// <summary>
/// Issue 11 #8: a <see cref="Filter"/> built (not parsed) arbitrarily deep prints, compares and hashes without
/// spending stack per level, and an operation given one is a validation error rather than a crashed process. Every
/// walk runs on a thread with a 256 KiB stack (a few thousand frames), so a recursive walk would overflow it long
/// before the bottom; a stack overflow cannot be caught, so a regression takes the test host down rather than pass.
/// </summary>
public class DeepFilterTests
{
    private const int SmallStack = 256 * 1024;

    private static readonly Filter Leaf = Filter.Equals("email", "a@b.c");

    private const string LeafText = "equals(email,\"a@b.c\")";

    /// <summary>Runs <paramref name="work"/> on a thread with a small stack; rethrows what it throws here.</summary>
    private static T OnSmallStack<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            },
            SmallStack
        );
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    public enum Shape
    {
        Not,
        And,
        Or,
        ListValue,
    }

    private static Filter Deep(Shape shape, int depth, Filter? bottom = null)
    {
        if (shape == Shape.ListValue)
        {
            FilterValue value = "a@b.c";
            for (var i = 0; i < depth; i++)
                value = FilterValue.ListOf([value]);
            return Filter.Equals("email", value);
        }
        var f = bottom ?? Leaf;
        for (var i = 0; i < depth; i++)
            f = shape switch
            {
                Shape.Not => Filter.Not(f),
                Shape.And => Filter.And(f, Filter.Has("profile")),
                _ => Filter.Or(f, Filter.Has("profile")),
            };
        return f;
    }

    private static string Expected(Shape shape, int depth) =>
        shape switch
        {
            Shape.Not => string.Concat(Enumerable.Repeat("not(", depth))
                + LeafText
                + new string(')', depth),
            Shape.And => string.Concat(Enumerable.Repeat("and(", depth))
                + LeafText
                + string.Concat(Enumerable.Repeat(",has(profile))", depth)),
            Shape.Or => string.Concat(Enumerable.Repeat("or(", depth))
                + LeafText
                + string.Concat(Enumerable.Repeat(",has(profile))", depth)),
            _ => "equals(email,"
                + new string('[', depth)
                + "\"a@b.c\""
                + new string(']', depth)
                + ")",
        };

    [Theory]
    [InlineData(Shape.Not, 50_000)]
    [InlineData(Shape.Not, 1_000_000)]
    [InlineData(Shape.And, 50_000)]
    [InlineData(Shape.Or, 50_000)]
    [InlineData(Shape.ListValue, 50_000)]
    [InlineData(Shape.ListValue, 200_000)]
    public void A_deep_filter_prints_compares_and_hashes_on_a_small_stack(Shape shape, int depth)
    {
        var (text, same, differs, sameHash) = OnSmallStack(() =>
        {
            var a = Deep(shape, depth);
            var b = Deep(shape, depth);
            var c =
                shape == Shape.ListValue
                    ? Deep(shape, depth - 1)
                    : Deep(shape, depth, Filter.Has("email"));
            string? implicitText = a;
            return (
                implicitText!,
                a == b && a.Equals((object)b),
                a != c && !a.Equals(c),
                a.GetHashCode() == b.GetHashCode()
            );
        });

        Assert.Equal(Expected(shape, depth), text);
        Assert.True(same);
        Assert.True(differs);
        Assert.True(sameHash);
    }

    [Theory]
    [InlineData(Shape.Not, 50_000)]
    [InlineData(Shape.Not, 1_000_000)]
    [InlineData(Shape.And, 50_000)]
    [InlineData(Shape.ListValue, 50_000)]
    public void An_operation_given_a_deep_filter_is_a_validation_error(Shape shape, int depth)
    {
        var built = OnSmallStack(() =>
            RequestBuilder.Build(
                Profiles.GetProfiles(filter: Deep(shape, depth)),
                new KlaviyoOptions { ApiKey = "pk_deep_filter" }
            )
        );

        var error = Assert.IsType<KlaviyoError.Validation>(built.Case);
        var problem = Assert.Single(
            error.Problems,
            p => p.Contains("filter", StringComparison.Ordinal)
        );
        Assert.Contains(
            shape == Shape.ListValue ? "lists cannot be nested" : "nest more than 100 levels deep",
            problem
        );
        Assert.True(problem.Length < 1_000, $"{problem.Length} characters");
    }

    [Fact]
    public void Shallow_filters_still_compare_and_print_as_before()
    {
        var a =
            Filter.Equals("messages.channel", "email") & !Filter.Has("x")
            | Filter.Any("id", "1", "2");
        var b =
            Filter.Equals("messages.channel", "email") & !Filter.Has("x")
            | Filter.Any("id", "1", "2");

        Assert.Equal(
            "or(and(equals(messages.channel,\"email\"),not(has(x))),any(id,[\"1\",\"2\"]))",
            a.ToString()
        );
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Filter.Has("x"));
        Assert.Equal(FilterValue.Of(1.0m), FilterValue.Of(1.00m));
        Assert.Equal(FilterValue.Of(1.0m).GetHashCode(), FilterValue.Of(1.00m).GetHashCode());
        Assert.Equal(
            FilterValue.Of(new DateTimeOffset(2024, 1, 1, 1, 0, 0, TimeSpan.FromHours(1))),
            FilterValue.Of(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))
        );
        Assert.Equal(FilterValue.ListOf(["a", "b"]), FilterValue.ListOf(["a", "b"]));
        Assert.NotEqual(FilterValue.ListOf(["a", "b"]), FilterValue.ListOf(["b", "a"]));
        Assert.NotEqual<FilterValue>(FilterValue.Of("1"), FilterValue.Of(1));
        Assert.False(Filter.And(Leaf).Equals(Filter.Or(Leaf)));
        Assert.False(Leaf.Equals(null));
    }
}
