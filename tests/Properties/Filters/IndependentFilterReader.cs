using System.Globalization;
using System.Text;
using LanguageExt;

namespace Klaviyo.Tests.Filters;

/// <summary>
/// A second, deliberately different reader of the filter syntax our renderer writes (tokens first, then a small
/// recursive descent over tokens), so that round-trip properties do not just check the library against itself.
/// Throws <see cref="FormatException"/> on anything it does not understand.
/// </summary>
internal static class IndependentFilterReader
{
    private enum Kind
    {
        Word,
        Text,
        Open,
        Close,
        OpenList,
        CloseList,
        Comma,
    }

    private readonly record struct Token(Kind Kind, string Value);

    public static Filter Read(string text)
    {
        var tokens = Tokenize(text);
        var i = 0;
        var filter = ReadFilter(tokens, ref i);
        if (i != tokens.Count)
            throw new FormatException($"trailing tokens after {i} of {tokens.Count}");
        return filter;
    }

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            switch (s[i])
            {
                case '(':
                    tokens.Add(new Token(Kind.Open, "("));
                    i++;
                    break;
                case ')':
                    tokens.Add(new Token(Kind.Close, ")"));
                    i++;
                    break;
                case '[':
                    tokens.Add(new Token(Kind.OpenList, "["));
                    i++;
                    break;
                case ']':
                    tokens.Add(new Token(Kind.CloseList, "]"));
                    i++;
                    break;
                case ',':
                    tokens.Add(new Token(Kind.Comma, ","));
                    i++;
                    break;
                case '"':
                    var sb = new StringBuilder();
                    i++;
                    while (s[i] != '"')
                    {
                        if (s[i] == '\\')
                            i++;
                        sb.Append(s[i]);
                        i++;
                    }
                    i++;
                    tokens.Add(new Token(Kind.Text, sb.ToString()));
                    break;
                default:
                    var end = s.IndexOfAny(['(', ')', '[', ']', ',', '"'], i);
                    if (end < 0)
                        end = s.Length;
                    tokens.Add(new Token(Kind.Word, s[i..end]));
                    i = end;
                    break;
            }
        }
        return tokens;
    }

    private static Token Take(List<Token> tokens, ref int i, Kind kind)
    {
        if (i >= tokens.Count || tokens[i].Kind != kind)
            throw new FormatException($"expected {kind} at token {i}");
        return tokens[i++];
    }

    private static Filter ReadFilter(List<Token> tokens, ref int i)
    {
        var name = Take(tokens, ref i, Kind.Word).Value;
        Take(tokens, ref i, Kind.Open);
        Filter result;
        if (name is "and" or "or")
        {
            var operands = new List<Filter> { ReadFilter(tokens, ref i) };
            while (tokens[i].Kind == Kind.Comma)
            {
                i++;
                operands.Add(ReadFilter(tokens, ref i));
            }
            var seq = operands.ToSeq().Strict();
            result = name == "and" ? new Filter.AllOf(seq) : new Filter.AnyOf(seq);
        }
        else if (name == "not")
            result = new Filter.Negation(ReadFilter(tokens, ref i));
        else if (name == "has")
            result = new Filter.Presence(Take(tokens, ref i, Kind.Word).Value);
        else
        {
            var field = Take(tokens, ref i, Kind.Word).Value;
            Take(tokens, ref i, Kind.Comma);
            result = new Filter.Comparison(name, field, ReadValue(tokens, ref i));
        }
        Take(tokens, ref i, Kind.Close);
        return result;
    }

    private static FilterValue ReadValue(List<Token> tokens, ref int i)
    {
        var t = tokens[i++];
        switch (t.Kind)
        {
            case Kind.Text:
                return new FilterValue.Text(t.Value);
            case Kind.OpenList:
                var items = new List<FilterValue>();
                while (tokens[i].Kind != Kind.CloseList)
                {
                    if (items.Count > 0)
                        Take(tokens, ref i, Kind.Comma);
                    items.Add(ReadValue(tokens, ref i));
                }
                i++;
                return new FilterValue.List(items.ToSeq().Strict());
            case Kind.Word when t.Value == "null":
                return FilterValue.Null;
            case Kind.Word when t.Value is "true" or "false":
                return new FilterValue.Boolean(t.Value == "true");
            case Kind.Word when t.Value.EndsWith('Z'):
                return new FilterValue.DateTime(
                    DateTimeOffset.Parse(
                        t.Value,
                        CultureInfo.InvariantCulture,
                        DateTimeStyles.RoundtripKind
                    )
                );
            case Kind.Word:
                return new FilterValue.Number(
                    decimal.Parse(t.Value, NumberStyles.Number, CultureInfo.InvariantCulture)
                );
            default:
                throw new FormatException($"unexpected {t.Kind} for a value");
        }
    }
}
