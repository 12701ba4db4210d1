namespace AWorld.Twin;

internal sealed partial class SimRandom
{
    public RandomState Snapshot() => new(_s0, _s1, _s2, _s3, _spareGaussian);

    public void Restore(RandomState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            // xoshiro never leaves the all-zero state: such a file was not written by the twin.
            throw new InvalidDataException("a random stream's state is all zeros");
        }

        (_s0, _s1, _s2, _s3, _spareGaussian) = (state.S0, state.S1, state.S2, state.S3, state.SpareGaussian);
    }
}
