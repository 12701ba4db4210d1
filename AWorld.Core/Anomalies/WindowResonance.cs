namespace AWorld.Core.Anomalies;

/// <summary>
/// Adaptive resonance over the recent shape of the series: the last stretch of normalised values, averaged into a
/// few features plus the current value, is matched against learnt categories (boxes in feature space, fuzzy-ART
/// style). A window that fits a category without growing it past the vigilance allowance resonates and teaches
/// it; one that fits none founds a new category, and how far it lies from every known one is its novelty.
/// Categories are capped; when full, the least recently used one is replaced. Boxes are stored as floats (normalised
/// values need no more precision), which halves a detector's memory.
/// </summary>
internal sealed class WindowResonance
{
    private readonly int _features;
    private readonly int _chunk;
    private readonly int _maxCategories;
    private readonly double[] _chunks;
    private readonly float[] _input;
    private readonly float[] _lo;
    private readonly float[] _hi;
    private readonly long[] _lastUsed;
    private readonly double[] _size;
    private int _winner;
    private int _categories;
    private int _chunkFill;
    private double _chunkSum;
    private int _chunksSeen;
    private long _time;

    public WindowResonance(int features, int chunk, int maxCategories)
    {
        _features = features;
        _chunk = chunk;
        _maxCategories = maxCategories;
        _chunks = new double[features - 2];
        _input = new float[features];
        _lo = new float[maxCategories * features];
        _hi = new float[maxCategories * features];
        _lastUsed = new long[maxCategories];
        _size = new double[maxCategories];
    }

    public int Categories => _categories;

    /// <summary>Observes the next normalised value; returns the novelty (0 when the window resonates).</summary>
    public double Observe(double z, double allowance)
    {
        _time++;
        _chunkSum += z;
        _chunkFill++;
        var n = _chunks.Length;
        for (var i = 0; i < n; i++)
        {
            _input[i] = (float)_chunks[(_chunksSeen + i) % n];
        }

        _input[n] = (float)(_chunkSum / _chunkFill);
        _input[n + 1] = (float)z;
        if (_chunkFill == _chunk)
        {
            _chunks[_chunksSeen % n] = _chunkSum / _chunkFill;
            _chunksSeen++;
            _chunkSum = 0;
            _chunkFill = 0;
        }

        if (_chunksSeen < n)
        {
            return 0;
        }

        // Branch and bound: a category's size after stretching only grows feature by feature, so the scan of a
        // category stops as soon as it cannot beat the best so far (same choice as a full scan, far fewer steps).
        var best = -1;
        var bestExcess = double.PositiveInfinity;
        var bestSize = double.PositiveInfinity;
        var bestGrowth = double.PositiveInfinity;
        // The category that won last time is tried first: consecutive windows overlap, so it usually wins again
        // and gives a tight bound at once.
        for (var k = -1; k < _categories; k++)
        {
            var c = k < 0 ? _winner : k;
            if ((k >= 0 && c == _winner) || c >= _categories)
            {
                continue;
            }

            var bound = bestExcess > 0 ? bestSize : allowance;
            var offset = c * _features;
            double size = 0;
            // Newest features first: they differ most between categories, so hopeless ones are dropped soonest.
            for (var i = _features - 1; i >= 0 && size <= bound; i--)
            {
                var x = _input[i];
                size += (double)Math.Max(_hi[offset + i], x) - Math.Min(_lo[offset + i], x);
            }

            if (size > bound)
            {
                continue;
            }

            var excess = Math.Max(0, size - allowance);
            var growth = size - _size[c];
            if (excess < bestExcess || (excess == bestExcess && growth < bestGrowth))
            {
                best = c;
                bestExcess = excess;
                bestSize = size;
                bestGrowth = growth;
            }
        }

        if (best >= 0 && bestExcess == 0)
        {
            Learn(best);
            return 0;
        }

        Found();
        return best < 0 ? 0 : bestExcess / _features;
    }

    private void Learn(int category)
    {
        var offset = category * _features;
        for (var i = 0; i < _features; i++)
        {
            _lo[offset + i] = Math.Min(_lo[offset + i], _input[i]);
            _hi[offset + i] = Math.Max(_hi[offset + i], _input[i]);
        }

        double size = 0;
        for (var i = 0; i < _features; i++)
        {
            size += _hi[offset + i] - _lo[offset + i];
        }

        _size[category] = size;

        _lastUsed[category] = _time;
        _winner = category;
    }

    private void Found()
    {
        int slot;
        if (_categories < _maxCategories)
        {
            slot = _categories++;
        }
        else
        {
            slot = 0;
            for (var c = 1; c < _categories; c++)
            {
                if (_lastUsed[c] < _lastUsed[slot])
                {
                    slot = c;
                }
            }
        }

        var offset = slot * _features;
        for (var i = 0; i < _features; i++)
        {
            _lo[offset + i] = _input[i];
            _hi[offset + i] = _input[i];
        }

        _size[slot] = 0;
        _winner = slot;

        _lastUsed[slot] = _time;
    }
}
