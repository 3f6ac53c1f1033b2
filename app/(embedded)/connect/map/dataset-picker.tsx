'use client';

import { useRouter } from 'next/navigation';
import { Select } from '@/components/ui/select';

/**
 * Which of the customer's datasets feeds this destination; changing it reloads the mapping for that
 * data.
 */
export function DatasetPicker({
  destinationId,
  datasets,
  selected,
}: {
  destinationId: string;
  datasets: { id: string; name: string }[];
  selected: string;
}) {
  const router = useRouter();
  return (
    <div className="flex flex-col gap-1.5 sm:w-80">
      <label htmlFor="dataset-choice" className="text-sm font-medium">
        Data from
      </label>
      <Select
        id="dataset-choice"
        value={selected}
        onChange={(event) =>
          router.push(
            `/connect/map?${new URLSearchParams({
              destination: destinationId,
              dataset: event.target.value,
            })}`,
          )
        }
        options={datasets.map((dataset) => ({ value: dataset.id, label: dataset.name }))}
      />
    </div>
  );
}
