-- How open the eyes of each face are (the iris model on the faces step), for the best shot.
ALTER TABLE "faces" ADD COLUMN "eyes_open" real;
