using System.Globalization;

namespace BatchSync.RawInsert;

internal sealed record RawInsertOptions(int Records, int Devices, IReadOnlyList<TableShape> Shapes, int Rounds, bool Ado)
{
    public const string Usage =
        "options: --records N (1000000)  --devices N (40)  --shape without-rowid|rowid-unique|autoincrement-rowid-unique|typed-rowid-unique|all (all)  --rounds K (1)  --ado";

    public static RawInsertOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        int Positive(string name, int fallback)
        {
            var text = Value(name, fallback.ToString(CultureInfo.InvariantCulture)).Replace("_", "", StringComparison.Ordinal);
            return int.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new ArgumentException($"{name} takes a whole number above zero, not '{text}'. {Usage}");
        }

        var known = new HashSet<string> { "--records", "--devices", "--shape", "--rounds" };
        for (var i = 0; i < args.Length; i++)
        {
            if (known.Contains(args[i]))
            {
                i++;
            }
            else if (args[i] != "--ado")
            {
                throw new ArgumentException($"Unknown option '{args[i]}'. {Usage}");
            }
        }

        var shape = Value("--shape", "all");
        IReadOnlyList<TableShape> shapes = shape == "all"
            ? TableShape.All
            : [TableShape.All.FirstOrDefault(s => s.Name == shape) ?? throw new ArgumentException($"No shape '{shape}'. {Usage}")];
        return new RawInsertOptions(Positive("--records", 1_000_000), Positive("--devices", 40), shapes, Positive("--rounds", 1), args.Contains("--ado"));
    }
}
