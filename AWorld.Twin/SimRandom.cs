namespace AWorld.Twin;

/// <summary>
/// xoshiro256** seeded through SplitMix64: fast, and the same numbers on every machine and .NET version, which
/// <see cref="Random"/> does not promise. Each component of the twin draws from its own stream so that adding a
/// fault to one region does not shift the noise of another.
/// </summary>
internal sealed partial class SimRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double _spareGaussian = double.NaN;

    public SimRandom(long seed, ulong stream)
    {
        var x = unchecked((ulong)seed ^ (stream * 0x9E3779B97F4A7C15UL) ^ 0xD1B54A32D192ED03UL);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, max).</summary>
    public int Next(int max) => (int)(NextDouble() * max);

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Standard normal (Marsaglia polar method).</summary>
    public double NextGaussian()
    {
        if (!double.IsNaN(_spareGaussian))
        {
            var spare = _spareGaussian;
            _spareGaussian = double.NaN;
            return spare;
        }

        double u, v, s;
        do
        {
            u = (NextDouble() * 2) - 1;
            v = (NextDouble() * 2) - 1;
            s = (u * u) + (v * v);
        }
        while (s >= 1 || s == 0);

        var factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        return u * factor;
    }

    /// <summary>A Poisson count: exact for small means, the normal approximation above 30.</summary>
    public long Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 30)
        {
            return Math.Max(0, (long)Math.Round(mean + (Math.Sqrt(mean) * NextGaussian())));
        }

        var limit = Math.Exp(-mean);
        long k = 0;
        var p = NextDouble();
        while (p > limit)
        {
            k++;
            p *= NextDouble();
        }

        return k;
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}

/// <summary>
/// Stateless draws: a uniform number from a hash of the seed and a few coordinates. For values that must not depend on
/// how often or in which order they are read (CloudWatch's delivery delays, canary noise, the history before the start),
/// so that reading them never moves a <see cref="SimRandom"/> stream and changes the simulation.
/// </summary>
internal static class SimHash
{
    /// <summary>Uniform in [0, 1), the same for the same arguments on every machine.</summary>
    public static double Unit(long seed, ulong salt, long a, long b = 0)
    {
        var x = Mix(unchecked((ulong)seed ^ (salt * 0x9E3779B97F4A7C15UL)));
        x = Mix(x ^ unchecked((ulong)a * 0xBF58476D1CE4E5B9UL));
        x = Mix(x ^ unchecked((ulong)b * 0x94D049BB133111EBUL));
        return (x >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>An approximately standard normal draw (sum of four uniforms, scaled): cheap, bounded by ±3.5.</summary>
    public static double Gaussian(long seed, ulong salt, long a, long b = 0) =>
        (Unit(seed, salt, a, b) + Unit(seed, salt + 1, a, b) + Unit(seed, salt + 2, a, b) + Unit(seed, salt + 3, a, b) - 2) * Math.Sqrt(3);

    /// <summary>A standard normal draw (Box–Muller on two hashed uniforms): unbounded tails, for history's minute noise.</summary>
    public static double Normal(long seed, ulong salt, long a, long b = 0)
    {
        var u = 1 - Unit(seed, salt, a, b);
        var v = Unit(seed, salt + 1, a, b);
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>
    /// A Poisson count with <paramref name="mean"/> from a hash: exact (inverse distribution) for small means, the normal
    /// approximation above 50.
    /// </summary>
    public static double Poisson(double mean, long seed, ulong salt, long a, long b = 0)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 50)
        {
            return Math.Max(0, Math.Round(mean + (Math.Sqrt(mean) * Normal(seed, salt, a, b))));
        }

        var u = Unit(seed, salt, a, b);
        var p = Math.Exp(-mean);
        var cumulative = p;
        var k = 0;
        while (u > cumulative && k < 1000)
        {
            k++;
            p *= mean / k;
            cumulative += p;
        }

        return k;
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
