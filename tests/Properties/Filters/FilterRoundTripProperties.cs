using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;

namespace Klaviyo.Tests.Filters;

public class FilterRoundTripProperties
{
    // Pieces that stress quoting: both quotes, backslashes, the syntax's own punctuation, whitespace, NUL,
    // non-ASCII (including a surrogate pair), and text that looks like other literals or operators.
    private static readonly string[] Pieces =
    {
        "\"",
        "'",
        "\\",
        "\\\"",
        ",",
        "(",
        ")",
        "[",
        "]",
        " ",
        "\t",
        "\n",
        "\0",
        "é",
        "漢字",
        "😀",
        "a",
        "Z",
        "9",
        "-",
        ".",
        "null",
        "true",
        "2024-01-01T00:00:00Z",
        "equals(a,1)",
    };

    private static readonly string[] Fields =
    {
        "email",
        "id",
        "messages.channel",
        "subscriptions.email.marketing.suppression.reason",
        "_kx",
        "$id",
        "created-at",
    };

    private static readonly Gen<string> Text = Gen.OneOf(
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null),
        Gen.ListOf(Gen.Elements(Pieces)).Select(string.Concat)
    );

    private static readonly Gen<DateTimeOffset> Instant =
        from high in Gen.Choose(51, 310_000_000)
        from low in Gen.Choose(0, 999_999_999)
        from digit in Gen.Choose(0, 9)
        from offsetMinutes in Gen.Choose(-14 * 60, 14 * 60)
        select new DateTimeOffset(
            high * 10_000_000_000L + low * 10L + digit,
            TimeSpan.FromMinutes(offsetMinutes)
        );

    private static readonly Gen<FilterValue> Scalar = Gen.OneOf(
        Text.Select(s => (FilterValue)new FilterValue.Text(s)),
        ArbMap.Default.GeneratorFor<decimal>().Select(d => (FilterValue)new FilterValue.Number(d)),
        ArbMap.Default.GeneratorFor<bool>().Select(b => (FilterValue)new FilterValue.Boolean(b)),
        Gen.Constant(FilterValue.Null),
        Instant.Select(t => (FilterValue)new FilterValue.DateTime(t))
    );

    private static readonly Gen<FilterValue> ListValue = Gen.Choose(0, 4)
        .SelectMany(n => Gen.ListOf(Scalar, n))
        .Select(items => (FilterValue)new FilterValue.List(items.ToSeq().Strict()));

    private static readonly Gen<Filter> Leaf = Gen.Frequency(
        (1, Gen.Elements(Fields).Select(f => (Filter)new Filter.Presence(f))),
        (
            6,
            from op in Gen.Elements(Filter.ComparisonOperators.ToArray())
            from field in Gen.Elements(Fields)
            from value in Filter.ListOnlyOperators.Contains(op)
                ? ListValue
                : Gen.Frequency((4, Scalar), (1, ListValue))
            select (Filter)new Filter.Comparison(op, field, value)
        )
    );

    private static Gen<Filter> Tree(int size) =>
        size <= 1
            ? Leaf
            : Gen.Frequency(
                (3, Leaf),
                (1, Operands(size).Select(fs => (Filter)new Filter.AllOf(fs))),
                (1, Operands(size).Select(fs => (Filter)new Filter.AnyOf(fs))),
                (1, Tree(size / 2).Select(f => (Filter)new Filter.Negation(f)))
            );

    private static Gen<Seq<Filter>> Operands(int size) =>
        Gen.Choose(1, 3)
            .SelectMany(n => Gen.ListOf(Tree(size / 2), n))
            .Select(fs => fs.ToSeq().Strict());

    private static Arbitrary<Filter> Filters => Arb.From(Gen.Sized(s => Tree(Math.Min(s, 16))));

    [Property(MaxTest = 200)]
    public Property A_rendered_tree_reads_back_to_the_same_tree_with_an_independent_reader() =>
        Prop.ForAll(Filters, f => IndependentFilterReader.Read(f.ToString()) == f);

    [Property(MaxTest = 200)]
    public Property A_rendered_tree_parses_back_to_the_same_tree() =>
        Prop.ForAll(
            Filters,
            f => Filter.Parse(f.ToString()).Match(parsed => parsed == f, _ => false)
        );

    [Property(MaxTest = 200)]
    public Property Any_text_value_survives_rendering_and_parsing_unchanged() =>
        Prop.ForAll(
            Arb.From(Text),
            s =>
                Filter
                    .Parse(Filter.Equals("name", s).ToString())
                    .Match(
                        parsed =>
                            parsed is Filter.Comparison { Value: FilterValue.Text t }
                            && t.Value == s,
                        _ => false
                    )
        );

    [Property(MaxTest = 200)]
    public Property A_rendered_filter_has_balanced_structure_outside_quotes() =>
        Prop.ForAll(
            Filters,
            f =>
            {
                // Outside quoted text, parentheses and brackets balance: a value can never break out of its quotes.
                var depth = 0;
                var inText = false;
                var s = f.ToString();
                for (var i = 0; i < s.Length; i++)
                {
                    var c = s[i];
                    if (inText)
                    {
                        if (c == '\\')
                            i++;
                        else if (c == '"')
                            inText = false;
                        continue;
                    }
                    if (c == '"')
                        inText = true;
                    else if (c is '(' or '[')
                        depth++;
                    else if (c is ')' or ']')
                        depth--;
                    if (depth < 0)
                        return false;
                }
                return depth == 0 && !inText;
            }
        );
}
