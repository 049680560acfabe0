using System.Globalization;
using System.Text;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Reads Klaviyo's filter syntax into a <see cref="Filter"/> tree: <c>op(field,value)</c>, <c>has(field)</c>,
/// <c>and(…)</c>, <c>or(…)</c>, <c>not(…)</c>, top-level commas as <c>and</c>. Values: single- or double-quoted text
/// (a backslash escapes the next character), numbers, <c>true</c>, <c>false</c>, <c>null</c>, unquoted ISO 8601
/// date-times and dates, and flat lists <c>[…]</c>. Whitespace between tokens is allowed.
/// </summary>
internal static class FilterParser
{
    /// <summary>How deep <c>and</c>/<c>or</c>/<c>not</c> may nest; deeper input is refused rather than risking the stack.</summary>
    public const int MaxDepth = 100;

    private static readonly string[] DateTimeFormats =
    {
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    };

    public static Either<string, Filter> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return "the filter is empty";
        try
        {
            return new Reader(text).Top();
        }
        catch (SyntaxError e)
        {
            return e.Message;
        }
    }

    private sealed class SyntaxError(string message) : Exception(message);

    private sealed class Reader(string text)
    {
        private int _pos;

        public Filter Top()
        {
            var filters = new List<Filter> { Expression(0) };
            SkipSpace();
            while (Peek() == ',')
            {
                _pos++;
                filters.Add(Expression(0));
                SkipSpace();
            }
            if (_pos < text.Length)
                throw Fail($"unexpected '{text[_pos]}' after a complete filter");
            return filters.Count == 1 ? filters[0] : new Filter.AllOf(filters.ToSeq().Strict());
        }

        private Filter Expression(int depth)
        {
            if (depth > MaxDepth)
                throw Fail($"filters nest more than {MaxDepth} levels deep");
            SkipSpace();
            var start = _pos;
            while (_pos < text.Length && (text[_pos] is (>= 'a' and <= 'z') or '-'))
                _pos++;
            var name = text[start.._pos];
            if (name.Length == 0)
                throw Fail(
                    _pos >= text.Length
                        ? "expected a filter such as equals(field,value), found the end"
                        : $"expected a filter such as equals(field,value), found '{text[_pos]}'"
                );
            SkipSpace();
            Expect('(');
            switch (name)
            {
                case "and":
                case "or":
                    var operands = new List<Filter> { Expression(depth + 1) };
                    SkipSpace();
                    while (Peek() == ',')
                    {
                        _pos++;
                        operands.Add(Expression(depth + 1));
                        SkipSpace();
                    }
                    Expect(')');
                    var seq = operands.ToSeq().Strict();
                    return name == "and" ? new Filter.AllOf(seq) : new Filter.AnyOf(seq);
                case "not":
                    var operand = Expression(depth + 1);
                    SkipSpace();
                    Expect(')');
                    return new Filter.Negation(operand);
                case "has":
                    SkipSpace();
                    var present = Field();
                    SkipSpace();
                    Expect(')');
                    return new Filter.Presence(present);
            }
            if (!Filter.ComparisonOperators.Contains(name))
            {
                _pos = start;
                throw Fail(
                    $"unknown operator '{name}'; known: {string.Join(", ", Filter.ComparisonOperators)}, has, and, or, not"
                );
            }
            SkipSpace();
            var field = Field();
            SkipSpace();
            Expect(',');
            SkipSpace();
            var valueStart = _pos;
            var value = Value(allowList: true);
            if (Filter.ListOnlyOperators.Contains(name) && value is not FilterValue.List)
            {
                _pos = valueStart;
                throw Fail($"'{name}' takes a list, like {name}({field},[\"a\",\"b\"])");
            }
            SkipSpace();
            Expect(')');
            return new Filter.Comparison(name, field, value);
        }

        private string Field()
        {
            var start = _pos;
            while (_pos < text.Length && IsFieldChar(text[_pos]))
                _pos++;
            if (_pos == start)
                throw Fail(
                    _pos >= text.Length
                        ? "expected a field name, found the end"
                        : $"expected a field name, found '{text[_pos]}'"
                );
            return text[start.._pos];
        }

        private FilterValue Value(bool allowList)
        {
            var c = Peek();
            if (c is '"' or '\'')
                return new FilterValue.Text(Quoted(c.Value));
            if (c == '[')
            {
                if (!allowList)
                    throw Fail("lists cannot be nested");
                _pos++;
                SkipSpace();
                var items = new List<FilterValue>();
                if (Peek() != ']')
                {
                    items.Add(Value(allowList: false));
                    SkipSpace();
                    while (Peek() == ',')
                    {
                        _pos++;
                        SkipSpace();
                        items.Add(Value(allowList: false));
                        SkipSpace();
                    }
                }
                Expect(']');
                return new FilterValue.List(items.ToSeq().Strict());
            }
            var start = _pos;
            while (_pos < text.Length && !EndsBareValue(text[_pos]))
                _pos++;
            var token = text[start.._pos];
            if (token.Length == 0)
                throw Fail(
                    _pos >= text.Length
                        ? "expected a value, found the end"
                        : $"expected a value, found '{text[_pos]}'"
                );
            return Literal(token, start);
        }

        private FilterValue Literal(string token, int start)
        {
            switch (token)
            {
                case "true":
                    return new FilterValue.Boolean(true);
                case "false":
                    return new FilterValue.Boolean(false);
                case "null":
                    return FilterValue.Null;
            }
            if (IsNumber(token))
            {
                if (
                    decimal.TryParse(
                        token,
                        NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                        CultureInfo.InvariantCulture,
                        out var number
                    )
                )
                    return new FilterValue.Number(number);
                _pos = start;
                throw Fail($"the number {token} is out of range");
            }
            if (
                DateTimeOffset.TryParseExact(
                    token,
                    DateTimeFormats,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal,
                    out var instant
                )
            )
                return new FilterValue.DateTime(instant);
            _pos = start;
            throw Fail(
                $"'{token}' is not a number, true, false, null or an ISO 8601 date-time; put text in quotes"
            );
        }

        private string Quoted(char quote)
        {
            var start = _pos;
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= text.Length)
                {
                    _pos = start;
                    throw Fail("unterminated string");
                }
                var c = text[_pos];
                if (c == '\\')
                {
                    if (_pos + 1 >= text.Length)
                    {
                        _pos = start;
                        throw Fail("unterminated string (it ends with a lone backslash)");
                    }
                    sb.Append(text[_pos + 1]);
                    _pos += 2;
                }
                else if (c == quote)
                {
                    _pos++;
                    return sb.ToString();
                }
                else
                {
                    sb.Append(c);
                    _pos++;
                }
            }
        }

        private char? Peek() => _pos < text.Length ? text[_pos] : null;

        private void Expect(char c)
        {
            if (Peek() == c)
            {
                _pos++;
                return;
            }
            throw Fail(
                _pos >= text.Length
                    ? $"expected '{c}', found the end"
                    : $"expected '{c}', found '{text[_pos]}'"
            );
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && text[_pos] is ' ' or '\t' or '\r' or '\n')
                _pos++;
        }

        private SyntaxError Fail(string message) => new($"{message} (at character {_pos + 1})");
    }

    /// <summary>Field names: ASCII letters, digits, <c>_ . $ -</c> (e.g. <c>subscriptions.email.marketing.suppression.reason</c>).</summary>
    /// <param name="c">The character.</param>
    public static bool IsFieldChar(char c) =>
        c
            is (>= 'a' and <= 'z')
                or (>= 'A' and <= 'Z')
                or (>= '0' and <= '9')
                or '_'
                or '.'
                or '$'
                or '-';

    private static bool EndsBareValue(char c) =>
        c is ',' or '(' or ')' or '[' or ']' or '"' or '\'' or ' ' or '\t' or '\r' or '\n';

    private static bool IsNumber(string token)
    {
        var i = token[0] == '-' ? 1 : 0;
        var digits = 0;
        while (i < token.Length && char.IsAsciiDigit(token[i]))
        {
            i++;
            digits++;
        }
        if (digits == 0)
            return false;
        if (i == token.Length)
            return true;
        if (token[i] != '.')
            return false;
        i++;
        var fraction = 0;
        while (i < token.Length && char.IsAsciiDigit(token[i]))
        {
            i++;
            fraction++;
        }
        return fraction > 0 && i == token.Length;
    }
}
