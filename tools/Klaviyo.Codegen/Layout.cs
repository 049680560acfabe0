using System.Text;

namespace Klaviyo.Codegen;

/// <summary>
/// A tiny pretty-printer for the few expression shapes the generator writes, laid out the way csharpier lays them
/// out (width 100, indent 4): a call stays on one line when it fits, otherwise each argument goes on its own line,
/// and each argument is laid out the same way. Writing csharpier's layout directly keeps the output byte-stable
/// without running a formatter as part of generation.
/// </summary>
public abstract record Code
{
    /// <summary>The line width csharpier formats to.</summary>
    public const int Width = 100;

    /// <summary>The whole expression on one line.</summary>
    public abstract string Flat { get; }

    /// <summary>Text that never breaks.</summary>
    public static Code Text(string s) => new Atom(s);

    /// <summary>A call or object creation: <c>head(arg, arg)</c>.</summary>
    public static Code Call(string head, IEnumerable<Code> args) => new Invocation(head, [.. args]);

    /// <summary>A call or object creation: <c>head(arg, arg)</c>.</summary>
    public static Code Call(string head, params Code[] args) => new Invocation(head, args);

    /// <summary>A named argument or other fixed text before an expression: <c>name: expression</c>.</summary>
    public static Code Prefixed(string prefix, Code inner) => new WithPrefix(prefix, inner);

    /// <summary>Lays the expression out starting at column <paramref name="column"/> of a line indented by
    /// <paramref name="indent"/>, with <paramref name="trailing"/> following it on its last line.</summary>
    public string Print(int indent, int column, string trailing)
    {
        var sb = new StringBuilder();
        Print(sb, indent, column, trailing);
        return sb.ToString();
    }

    /// <summary>A statement <c>prefix expression;</c> at <paramref name="indent"/>, ending with a newline.</summary>
    public string Statement(int indent, string prefix, string terminator = ";") =>
        new string(' ', indent)
        + prefix
        + Print(indent, indent + prefix.Length, terminator)
        + terminator
        + "\n";

    /// <summary>
    /// A declaration <c>left = expression;</c> at <paramref name="indent"/>. Like csharpier, the expression moves
    /// to its own line (indented once more) only when even its first line would not fit after <c>=</c>.
    /// </summary>
    public string Declaration(int indent, string left)
    {
        var prefix = left + " = ";
        var column = indent + prefix.Length;
        if (column + Flat.Length + 1 <= Width || column + FirstLineLength <= Width)
            return Statement(indent, prefix);
        var inner = indent + 4;
        return new string(' ', indent)
            + left
            + " =\n"
            + new string(' ', inner)
            + Print(inner, inner, ";")
            + ";\n";
    }

    /// <summary>The length of the first line when the expression is broken.</summary>
    protected abstract int FirstLineLength { get; }

    internal abstract void Print(StringBuilder sb, int indent, int column, string trailing);

    private sealed record Atom(string Value) : Code
    {
        public override string Flat => Value;

        protected override int FirstLineLength => Value.Length;

        internal override void Print(StringBuilder sb, int indent, int column, string trailing) =>
            sb.Append(Value);
    }

    private sealed record WithPrefix(string Prefix, Code Inner) : Code
    {
        public override string Flat => Prefix + Inner.Flat;

        protected override int FirstLineLength => Prefix.Length + Inner.FirstLineLength;

        internal override void Print(StringBuilder sb, int indent, int column, string trailing)
        {
            sb.Append(Prefix);
            Inner.Print(sb, indent, column + Prefix.Length, trailing);
        }
    }

    private sealed record Invocation(string Head, IReadOnlyList<Code> Args) : Code
    {
        public override string Flat =>
            Head + "(" + string.Join(", ", Args.Select(a => a.Flat)) + ")";

        protected override int FirstLineLength => Head.Length + 1;

        internal override void Print(StringBuilder sb, int indent, int column, string trailing)
        {
            var flat = Flat;
            if (column + flat.Length + trailing.Length <= Width || Args.Count == 0)
            {
                sb.Append(flat);
                return;
            }
            var inner = indent + 4;
            sb.Append(Head).Append("(\n");
            for (var i = 0; i < Args.Count; i++)
            {
                var comma = i < Args.Count - 1 ? "," : "";
                sb.Append(' ', inner);
                Args[i].Print(sb, inner, inner, comma);
                sb.Append(comma).Append('\n');
            }
            sb.Append(' ', indent).Append(')');
        }
    }
}
